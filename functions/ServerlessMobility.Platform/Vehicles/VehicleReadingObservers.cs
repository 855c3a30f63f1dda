namespace ServerlessMobility.Platform.Vehicles;

/// <summary>One accepted telemetry reading of a vehicle, as the product lines may follow it (a tracked test drive).</summary>
/// <param name="Timestamp">The device's time of the reading (UTC).</param>
public sealed record VehicleReading(DateTimeOffset Timestamp, double Lat, double Lon, double SpeedKmh);

/// <summary>
/// A module that follows vehicles live: the telemetry pipeline (the same class in the Functions app and the local host)
/// calls every registered observer with each vehicle's new readings of a batch, after de-duplication and before it stores
/// the vehicle's state. A failing observer fails the vehicle's part of the batch, which is retried; so an observer must be
/// idempotent (the same reading twice is one reading) and quick for vehicles it does not follow.
/// </summary>
public interface IVehicleReadingObserver
{
    /// <param name="tenantId">The vehicle's tenant as registered; empty for an unregistered vehicle.</param>
    /// <param name="readings">Oldest first; never empty.</param>
    Task OnReadingsAsync(string tenantId, string vin, IReadOnlyList<VehicleReading> readings, CancellationToken cancellationToken);
}
