using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.RentToOwn.Collection;

/// <summary>
/// The collection flow's view of a vehicle's motion, read through the kernel's vehicle conditions (answered by
/// the telemetry module). A vehicle of another tenant is reported as unknown, so a plan can never act on
/// telemetry it does not own; a vehicle that never sent a reading is unknown too (the flow then waits instead
/// of immobilizing blind).
/// </summary>
public sealed class TelemetryVehicleStateReader(IVehicleConditions conditions) : IVehicleStateReader
{
    public async Task<VehicleMotion?> GetLatestAsync(string tenantId, string vehicleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vehicleId);
        var condition = await conditions.GetLatestAsync(tenantId, vehicleId, cancellationToken).ConfigureAwait(false);
        return condition is { HasReading: true } ? new VehicleMotion(condition.SpeedKmh, condition.LastReadingAt) : null;
    }
}
