using ServerlessMobility.Telemetry;
using ServerlessMobility.LocalHost.Demo;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.LocalHost.Telemetry;

/// <summary>Three demo Aurora S vehicles for the demo tenant, one owned by demo-customer, with an allowed zone around Munich.</summary>
public sealed class TelemetryDemoDataSeeder(IVehicleRegistry registry, IGeofenceStore geofences, TimeProvider time) : IDemoDataSeeder
{
    public static IReadOnlyList<string> DemoVins { get; } = ["WDEMX000000000001", "WDEMX000000000002", "WDEMX000000000003"];

    public async Task SeedAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        for (var i = 0; i < DemoVins.Count; i++)
        {
            var vin = DemoVins[i];
            if (await registry.GetAsync(vin, cancellationToken) is null)
            {
                await registry.UpsertAsync(new VehicleRegistration(vin, options.TenantId, i == 0 ? "demo-customer" : null, "aurora-s", now), cancellationToken);
            }

            await geofences.UpsertAsync(new Geofence("munich", vin, "Munich area", GeofenceKind.Allowed, new GeoPoint(48.137, 11.575), 30_000, null), cancellationToken);
        }
    }
}
