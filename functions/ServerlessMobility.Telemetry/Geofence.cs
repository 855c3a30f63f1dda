using System.ComponentModel.DataAnnotations;

namespace ServerlessMobility.Telemetry;

/// <summary>Whether the vehicle must stay inside (allowed zone, rent-to-own) or must stay out.</summary>
public enum GeofenceKind
{
    Allowed,
    Forbidden,
}

/// <summary>A WGS 84 coordinate in degrees; finite, lat within [-90, 90], lon within [-180, 180].</summary>
public sealed record GeoPoint(
    [property: Range(-GeoPoint.MaxLat, GeoPoint.MaxLat)] double Lat,
    [property: Range(-GeoPoint.MaxLon, GeoPoint.MaxLon)] double Lon)
{
    public const double MaxLat = 90;

    public const double MaxLon = 180;

    public static readonly string Rule = $"A coordinate has lat within [-{MaxLat}, {MaxLat}] and lon within [-{MaxLon}, {MaxLon}].";

    // Closed ranges: NaN fails every comparison, infinities are outside.
    public bool IsValid() => Lat is >= -MaxLat and <= MaxLat && Lon is >= -MaxLon and <= MaxLon;
}

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
    public const int MinPolygonVertices = 3;

    public const int MaxPolygonVertices = 500;

    public const int MaxNameLength = 200;

    public const int MaxContractIdLength = 64;

    public const double MaxRadiusMeters = 1_000_000;

    public const string ContractIdPattern = "^[A-Za-z0-9._-]+$";

    /// <summary>A geofence id in a route (and a storage key): letters, digits, '-' and '_'.</summary>
    public const int MaxIdLength = 64;

    public bool Contains(double lat, double lon)
    {
        if (Center is not null && RadiusMeters is { } radius)
        {
            return GeoMath.DistanceMeters(Center.Lat, Center.Lon, lat, lon) <= radius;
        }

        return Polygon is { Count: >= MinPolygonVertices } polygon && GeoMath.PolygonContains(polygon, lat, lon);
    }

    /// <summary>The field (a JSON path in the request) and the reason the geofence is unusable, or null when it is valid.</summary>
    public (string Field, string Error)? Validate()
    {
        if (!Platform.Http.InputFormats.IsText(Name, MaxNameLength))
        {
            return ("name", $"name is 1 to {MaxNameLength} characters, without control characters.");
        }

        if (ContractId is not null && !Platform.Http.InputFormats.Matches(ContractId, ContractIdPattern, 1, MaxContractIdLength))
        {
            return ("contractId", $"contractId is 1-{MaxContractIdLength} letters, digits, '.', '-' or '_'.");
        }

        // Each given value is judged on its own first, so the answer names the value that is wrong.
        if (RadiusMeters is { } radius && radius is not (> 0 and <= MaxRadiusMeters))
        {
            return ("radiusMeters", $"radiusMeters is greater than 0 and at most {MaxRadiusMeters} metres.");
        }

        if (Center is not null && !Center.IsValid())
        {
            return ("center", GeoPoint.Rule);
        }

        if (Polygon is not null)
        {
            if (Polygon.Count is < MinPolygonVertices or > MaxPolygonVertices)
            {
                return ("polygon", $"A polygon needs at least {MinPolygonVertices} and at most {MaxPolygonVertices} points.");
            }

            for (var i = 0; i < Polygon.Count; i++)
            {
                if (Polygon[i] is not { } point || !point.IsValid())
                {
                    return ($"polygon[{i}]", GeoPoint.Rule);
                }
            }
        }

        var isCircle = Center is not null || RadiusMeters is not null;
        var isPolygon = Polygon is not null;
        if (isCircle == isPolygon)
        {
            return (isCircle ? "polygon" : "center", "Give either center and radiusMeters (a circle) or polygon, not both.");
        }

        if (isCircle && (Center is null || RadiusMeters is null))
        {
            return (Center is null ? "center" : "radiusMeters", "A circle needs center and radiusMeters.");
        }

        return null;
    }
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
