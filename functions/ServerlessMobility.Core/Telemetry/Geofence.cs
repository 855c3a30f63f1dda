using System.ComponentModel.DataAnnotations;

namespace ServerlessMobility.Core.Telemetry;

/// <summary>Whether the vehicle must stay inside (allowed zone, rent-to-own) or must stay out.</summary>
public enum GeofenceKind
{
    Allowed,
    Forbidden,
}

/// <summary>A WGS 84 coordinate in degrees; finite, lat within [-90, 90], lon within [-180, 180].</summary>
public sealed record GeoPoint(
    [property: Range(-90, 90)] double Lat,
    [property: Range(-180, 180)] double Lon);

/// <summary>
/// A zone per vehicle (and optionally per contract): a circle (center + radius) or a polygon
/// (3 to <see cref="MaxPolygonVertices"/> vertices). Exits from and entries into the zone are risk events.
/// The limits keep a zone within one table entity (a string property holds at most 32 K characters; 500
/// vertices at full double precision are about 27 K) and every number finite.
/// </summary>
public sealed record Geofence(
    string Id,
    string Vin,
    string Name,
    GeofenceKind Kind,
    GeoPoint? Center,
    double? RadiusMeters,
    IReadOnlyList<GeoPoint>? Polygon,
    string? ContractId = null)
{
    public const int MaxPolygonVertices = 500;

    public const int MaxNameLength = 200;

    public const int MaxContractIdLength = 64;

    public const double MaxRadiusMeters = 1_000_000;

    public bool Contains(double lat, double lon)
    {
        if (Center is not null && RadiusMeters is { } radius)
        {
            return GeoMath.DistanceMeters(Center.Lat, Center.Lon, lat, lon) <= radius;
        }

        return Polygon is { Count: >= 3 } polygon && GeoMath.PolygonContains(polygon, lat, lon);
    }

    /// <summary>The reason the geofence is unusable, or null when it is valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "name is required.";
        }

        if (Name.Length > MaxNameLength || Name.Any(char.IsControl))
        {
            return $"name is at most {MaxNameLength} characters, without control characters.";
        }

        if (ContractId is not null && (ContractId.Length is 0 or > MaxContractIdLength || !ContractId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return $"contractId is 1-{MaxContractIdLength} letters, digits, '-', '_' or '.'.";
        }

        var isCircle = Center is not null || RadiusMeters is not null;
        var isPolygon = Polygon is not null;
        if (isCircle == isPolygon)
        {
            return "Give either center and radiusMeters (a circle) or polygon, not both.";
        }

        if (isCircle)
        {
            if (Center is null || RadiusMeters is not (> 0 and <= MaxRadiusMeters))
            {
                return "A circle needs center and a radiusMeters greater than 0 and at most 1,000,000.";
            }

            return ValidPoint(Center) ? null : "center must be a valid coordinate (lat within [-90, 90], lon within [-180, 180]).";
        }

        if (Polygon!.Count is < 3 or > MaxPolygonVertices)
        {
            return $"A polygon needs at least 3 and at most {MaxPolygonVertices} points.";
        }

        return Polygon.All(ValidPoint) ? null : "Every polygon point must be a valid coordinate (lat within [-90, 90], lon within [-180, 180]).";
    }

    // Closed ranges: NaN fails every comparison, infinities are outside.
    private static bool ValidPoint(GeoPoint? p) => p is not null && p.Lat is >= -90 and <= 90 && p.Lon is >= -180 and <= 180;
}

public static class GeoMath
{
    private const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>Great-circle distance (haversine); accurate to well under 0.5 % at vehicle scales.</summary>
    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = DegreesToRadians(lat2 - lat1);
        var dLon = DegreesToRadians(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(DegreesToRadians(lat1)) * Math.Cos(DegreesToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Ray casting on lat/lon treated as planar: fine for zones of city size, not across the antimeridian.</summary>
    public static bool PolygonContains(IReadOnlyList<GeoPoint> polygon, double lat, double lon)
    {
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var pi = polygon[i];
            var pj = polygon[j];
            if ((pi.Lat > lat) != (pj.Lat > lat)
                && lon < ((pj.Lon - pi.Lon) * (lat - pi.Lat) / (pj.Lat - pi.Lat)) + pi.Lon)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
