using ServerlessMobility.Core.Telemetry;

namespace ServerlessMobility.Core.RentToOwn.Collection;

/// <summary>
/// The collection flow's view of a vehicle's motion, read from the telemetry slice's latest state.
/// A vehicle of another tenant is reported as unknown, so a plan can never act on telemetry it does
/// not own; a vehicle that never sent a reading is unknown too (the flow then waits instead of
/// immobilizing blind).
/// </summary>
public sealed class TelemetryVehicleStateReader(ITelemetryStateStore states) : IVehicleStateReader
{
    public async Task<VehicleMotion?> GetLatestAsync(string tenantId, string vehicleId, CancellationToken cancellationToken = default)
    {
        var state = await states.GetAsync(vehicleId.Trim().ToUpperInvariant(), cancellationToken);
        return state is { HasReading: true } && string.Equals(state.TenantId, tenantId, StringComparison.Ordinal)
            ? new VehicleMotion(state.SpeedKmh, state.LastReadingAt)
            : null;
    }
}
