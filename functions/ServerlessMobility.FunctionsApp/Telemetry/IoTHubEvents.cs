using System.Text.Json;
using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;
using ServerlessMobility.Telemetry;

namespace ServerlessMobility.FunctionsApp.Telemetry;

/// <summary>
/// Maps what IoT Hub's Event Hubs-compatible endpoint delivers into the core pipeline's batch. IoT Hub
/// stamps the sending device in the system property <c>iothub-connection-device-id</c>; an event
/// without it did not come through IoT Hub and is handed over with an empty device id so the pipeline
/// parks it as malformed instead of guessing.
/// </summary>
internal static class IoTHubEvents
{
    private const string DeviceIdProperty = "iothub-connection-device-id";

    /// <summary>The isolated worker hands the partition over as binding data (a JSON object), not as a parameter.</summary>
    public static IReadOnlyList<TelemetryMessage> ToBatch(EventData[] events, FunctionContext context)
    {
        var partitionId = "unknown";
        if (context.BindingContext.BindingData.TryGetValue("PartitionContext", out var raw) && raw?.ToString() is { Length: > 0 } json)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("PartitionId", out var id))
            {
                partitionId = id.GetString() ?? partitionId;
            }
        }

        return ToBatch(events, partitionId);
    }

    public static IReadOnlyList<TelemetryMessage> ToBatch(EventData[] events, string partitionId) =>
        [.. events.Select(e => new TelemetryMessage(
            e.SystemProperties.TryGetValue(DeviceIdProperty, out var device) ? device?.ToString() ?? string.Empty : string.Empty,
            e.EnqueuedTime,
            partitionId,
            e.SequenceNumber,
            e.MessageId,
            e.Properties.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal),
            e.EventBody.ToMemory()))];
}
