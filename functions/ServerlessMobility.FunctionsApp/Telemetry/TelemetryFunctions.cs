using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;
using ServerlessMobility.Core.Telemetry;

namespace ServerlessMobility.FunctionsApp.Telemetry;

/// <summary>
/// Vehicle telemetry: batches from IoT Hub's built-in endpoint (connection "IoTHubEvents", hub and
/// consumer group from app settings) into the same pipeline the local host feeds from its MQTT
/// broker, and the periodic offline check the local host runs as a background loop.
/// </summary>
public sealed class TelemetryFunctions(TelemetryPipeline pipeline)
{
    [Function("IngestVehicleTelemetry")]
    public Task IngestVehicleTelemetry(
        [EventHubTrigger("%IoTHub__EventHubName%", Connection = "IoTHubEvents", ConsumerGroup = "%IoTHub__ConsumerGroup%", IsBatched = true)] EventData[] events,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        pipeline.ProcessAsync(IoTHubEvents.ToBatch(events, context), cancellationToken);

    [Function("CheckVehiclesOffline")]
    public Task CheckVehiclesOffline([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        pipeline.CheckOfflineAsync(cancellationToken);
}
