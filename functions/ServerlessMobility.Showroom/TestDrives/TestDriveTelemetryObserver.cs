using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Showroom.Storage;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>
/// Follows the cars on a test drive: the telemetry pipeline hands every vehicle's new readings to the kernel's
/// <see cref="IVehicleReadingObserver"/>s, in the Functions app and in the local host alike. One point read per batch for a
/// car that is not on a drive; for one that is, the readings taken since the start join the drive's track under the ETag,
/// each timestamp once, so a redelivered or replayed batch changes nothing.
/// </summary>
public sealed class TestDriveTelemetryObserver(TestDriveScheduling scheduling, ITenantRepository<TestDrive> drives) : IVehicleReadingObserver
{
    public async Task OnReadingsAsync(string tenantId, string vin, IReadOnlyList<VehicleReading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vin);
        ArgumentNullException.ThrowIfNull(readings);
        if (string.IsNullOrEmpty(tenantId) || readings.Count == 0)
        {
            return;
        }

        var car = vin.Trim().ToUpperInvariant();
        if (await scheduling.ActiveDriveAsync(tenantId, car, cancellationToken) is not { } driveId)
        {
            return;
        }

        var points = readings.Select(r => new TrackPoint(r.Timestamp.ToUniversalTime(), r.Lat, r.Lon, r.SpeedKmh)).ToList();
        try
        {
            await drives.UpdateIfChangedAsync(tenantId, driveId, drive => drive.Record(points), "Test drive", cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            // A pointer to a drive that is not stored: nothing to record, and no reason to fail the vehicle's batch.
        }
    }
}
