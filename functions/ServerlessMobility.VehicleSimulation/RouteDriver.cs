using ServerlessMobility.Telemetry;

namespace ServerlessMobility.VehicleSimulation;

/// <summary>
/// Computes a vehicle's readings along a closed route at a constant speed: position, heading and
/// odometer follow from the elapsed simulated time, so runs are reproducible.
/// </summary>
public sealed class RouteDriver
{
    private readonly IReadOnlyList<GeoPoint> _route;
    private int _leg;
    private double _legProgressMeters;

    public RouteDriver(IReadOnlyList<GeoPoint> route, double speedKmh, double startOdometerKm = 10_000, double batteryPercent = 90)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Count < 2)
        {
            throw new ArgumentException("A route needs at least two points.", nameof(route));
        }

        _route = route;
        SpeedKmh = speedKmh;
        OdometerKm = startOdometerKm;
        BatteryPercent = batteryPercent;
    }

    public double SpeedKmh { get; set; }

    public double OdometerKm { get; private set; }

    public double BatteryPercent { get; set; }

    public IReadOnlyList<string> Dtcs { get; set; } = [];

    public string FirmwareVersion { get; set; } = "1.0.0";

    /// <summary>A ring around a center, for simulated fleets.</summary>
    public static IReadOnlyList<GeoPoint> Loop(GeoPoint center, double radiusMeters, int points = 12) =>
        [.. Enumerable.Range(0, points).Select(i =>
        {
            var angle = 2 * Math.PI * i / points;
            return new GeoPoint(center.Lat + (radiusMeters * Math.Cos(angle) / 111_320), center.Lon + (radiusMeters * Math.Sin(angle) / (111_320 * Math.Cos(center.Lat * Math.PI / 180))));
        })];

    /// <summary>
    /// A ring whose first point is <paramref name="start"/> (the ring's center lies south of it), so a vehicle told a
    /// position starts there, and a parked one (speed 0) stays there.
    /// </summary>
    public static IReadOnlyList<GeoPoint> LoopFrom(GeoPoint start, double radiusMeters, int points = 12)
    {
        ArgumentNullException.ThrowIfNull(start);
        var loop = Loop(new GeoPoint(start.Lat - (radiusMeters / 111_320), start.Lon), radiusMeters, points);

        // The ring's first point is its center plus the radius northwards, i.e. the start up to rounding: use the start exactly.
        return [start, .. loop.Skip(1)];
    }

    /// <summary>Advances by <paramref name="elapsed"/> and returns the reading at <paramref name="timestamp"/>.</summary>
    public TelemetryBody Next(TimeSpan elapsed, DateTimeOffset timestamp)
    {
        var meters = SpeedKmh / 3.6 * elapsed.TotalSeconds;
        OdometerKm += meters / 1000;
        BatteryPercent = Math.Max(0, BatteryPercent - (meters / 1000 * 0.02));
        _legProgressMeters += meters;
        while (true)
        {
            var (from, to) = (_route[_leg], _route[(_leg + 1) % _route.Count]);
            var legLength = GeoMath.DistanceMeters(from.Lat, from.Lon, to.Lat, to.Lon);
            if (_legProgressMeters <= legLength || legLength <= 0)
            {
                var f = legLength <= 0 ? 0 : _legProgressMeters / legLength;
                var heading = (Math.Atan2(to.Lon - from.Lon, to.Lat - from.Lat) * 180 / Math.PI + 360) % 360;
                return new TelemetryBody
                {
                    SchemaVersion = TelemetryParser.CurrentSchemaVersion,
                    Lat = from.Lat + ((to.Lat - from.Lat) * f),
                    Lon = from.Lon + ((to.Lon - from.Lon) * f),
                    SpeedKmh = SpeedKmh,
                    Heading = Math.Round(heading, 1),
                    OdometerKm = Math.Round(OdometerKm, 3),
                    BatteryPercent = Math.Round(BatteryPercent, 1),
                    Ignition = true,
                    Dtcs = Dtcs,
                    FirmwareVersion = FirmwareVersion,
                    Timestamp = timestamp,
                };
            }

            _legProgressMeters -= legLength;
            _leg = (_leg + 1) % _route.Count;
        }
    }
}
