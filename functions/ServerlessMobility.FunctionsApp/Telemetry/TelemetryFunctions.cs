using Microsoft.Azure.Functions.Worker;
using ServerlessMobility.Telemetry;

namespace ServerlessMobility.FunctionsApp.Telemetry;

/// <summary>
/// The periodic offline check the local host runs as a background loop. (Telemetry itself arrives through
/// IoT Hub's Event Hubs endpoint: see AzureOnly/TelemetryIngestionFunction.cs.)
/// </summary>
public sealed class TelemetryFunctions(TelemetryPipeline pipeline)
{
    [Function("CheckVehiclesOffline")]
    public Task CheckVehiclesOffline([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        pipeline.CheckOfflineAsync(cancellationToken);
}
