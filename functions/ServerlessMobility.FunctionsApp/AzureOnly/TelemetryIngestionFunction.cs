using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;
using ServerlessMobility.Telemetry;

namespace ServerlessMobility.FunctionsApp.Telemetry;

/// <summary>
/// Vehicle telemetry: batches from IoT Hub's built-in Event Hubs-compatible endpoint (connection
/// "IoTHubEvents", hub and consumer group from app settings) into the same pipeline the local host feeds
/// from its MQTT broker, through the same <see cref="TelemetryBatchRunner"/>: a poison message is isolated
/// and parked instead of failing the batch (the trigger checkpoints after each batch either way). Compiled only with -p:AzureFullFeed=true: the Event Hubs trigger extension
/// (Microsoft.Azure.Functions.Worker.Extensions.EventHubs) cannot be restored where we build. The mapping
/// it calls, <see cref="IoTHubEvents.ToBatch(EventData[], string)"/>, compiles and is tested everywhere.
/// </summary>
public sealed class TelemetryIngestionFunction(TelemetryBatchRunner runner)
{
    [Function("IngestVehicleTelemetry")]
    public Task IngestVehicleTelemetry(
        [EventHubTrigger("%IoTHub__EventHubName%", Connection = "IoTHubEvents", ConsumerGroup = "%IoTHub__ConsumerGroup%", IsBatched = true)] EventData[] events,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        runner.RunAsync(IoTHubEvents.ToBatch(events, context), cancellationToken);
}
