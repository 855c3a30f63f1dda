using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Showroom.Inventory;

/// <summary>Where a vehicle stands in the dealership's stock.</summary>
public enum VehicleStatus
{
    /// <summary>For sale; the only status customers see.</summary>
    Available,

    /// <summary>Held for one lead or sale (<see cref="InventoryVehicle.Reservation"/>); can go back to available.</summary>
    Reserved,

    /// <summary>Final: a sold vehicle never changes status again.</summary>
    Sold,

    /// <summary>Used for test drives and display; not offered until it is made available.</summary>
    Demo,
}

public enum FuelType
{
    Petrol,
    Diesel,
    Hybrid,
    PluginHybrid,
    Electric,
    Hydrogen,
    Lpg,
}

/// <summary>A point in WGS 84 degrees: where the dealership keeps the vehicle.</summary>
public sealed record GeoPoint(double Lat, double Lon)
{
    private const double EarthRadiusKm = 6371.0088;

    public static bool IsValid(double lat, double lon) => double.IsFinite(lat) && double.IsFinite(lon) && lat is >= -90 and <= 90 && lon is >= -180 and <= 180;

    /// <summary>Great-circle distance (haversine); plenty for ranking showrooms by how far they are.</summary>
    public double DistanceKmTo(GeoPoint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(other.Lat - Lat);
        var dLon = Radians(other.Lon - Lon);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Radians(Lat)) * Math.Cos(Radians(other.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>
/// Who holds a reserved vehicle: a lead being worked (<see cref="LeadId"/>) or a sale (<see cref="SaleId"/>), exactly one
/// of them, and the person or process that asked.
/// </summary>
public sealed record VehicleReservation(string? LeadId, string? SaleId, string ReservedBy, DateTimeOffset ReservedAt)
{
    /// <summary>The same holder asking again (a retried request) finds its own reservation.</summary>
    public bool IsHeldBy(string? leadId, string? saleId) =>
        string.Equals(LeadId, leadId, StringComparison.Ordinal) && string.Equals(SaleId, saleId, StringComparison.Ordinal);

    public string Holder => LeadId is not null ? $"lead '{LeadId}'" : $"sale '{SaleId}'";
}

/// <summary>One status change, kept so staff can see how a vehicle came to be where it is.</summary>
public sealed record VehicleStatusChange(VehicleStatus From, VehicleStatus To, DateTimeOffset At, string By, string? LeadId = null, string? SaleId = null);

/// <summary>A photo slot of a vehicle: given out with a signed upload link, listed once the file is in storage.</summary>
public sealed record VehiclePhoto(string Id, string FileName, string ContentType, DateTimeOffset RequestedAt, string RequestedBy)
{
    /// <summary>The blob: the tenant and the vehicle in its path, the photo id and the file's type in its name.</summary>
    public string BlobName(string tenantId, string vin) => $"{tenantId}/{vin}/{Id}{Path.GetExtension(FileName).ToLowerInvariant()}";
}

/// <summary>
/// What describes a vehicle for sale and can be corrected later (everything but its VIN). Money is the price in
/// <see cref="Currency"/> (ISO 4217), in that currency's minor units.
/// </summary>
public sealed record VehicleSpecs(
    string Make,
    string Model,
    int Year,
    string? Trim,
    FuelType Fuel,
    string Colour,
    int MileageKm,
    decimal Price,
    string Currency,
    GeoPoint Location,
    string? Description);

/// <summary>
/// One vehicle in a dealership's stock, keyed by its VIN within the dealership (a dealership holds a VIN once).
/// Status moves only along <see cref="VehicleLifecycle"/>; every stored change raises <see cref="Version"/>, which the
/// search index uses to never let an older write overtake a newer one.
/// </summary>
public sealed class InventoryVehicle
{
    public const int MaxPhotos = 30;

    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required VehicleSpecs Specs { get; set; }

    public VehicleStatus Status { get; set; }

    public VehicleReservation? Reservation { get; set; }

    public List<VehicleStatusChange> History { get; init; } = [];

    public List<VehiclePhoto> Photos { get; init; } = [];

    public required DateTimeOffset AddedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Version { get; set; }

    public string Vin => Id;

    /// <summary>Corrects the description or the price. A sold vehicle's record is what was sold: it no longer changes.</summary>
    public void Revise(VehicleSpecs specs, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (Status == VehicleStatus.Sold)
        {
            throw new ConflictException($"Vehicle '{Id}' is sold; its details no longer change.");
        }

        Specs = specs;
        Touch(at);
    }

    /// <summary>
    /// Moves the vehicle to <paramref name="to"/>. Reserving needs exactly one holder (a lead or a sale); asking for the
    /// status the vehicle already has changes nothing when it is the same holder (a retry) and is a conflict otherwise.
    /// </summary>
    /// <returns>False when nothing changed (the same request again), so nothing needs storing.</returns>
    public bool MoveTo(VehicleStatus to, string by, DateTimeOffset at, string? leadId = null, string? saleId = null)
    {
        if (to == VehicleStatus.Reserved && (leadId is null) == (saleId is null))
        {
            throw RequestValidationException.For(leadId is null ? "leadId" : "saleId", "A reservation is held by exactly one lead or one sale.");
        }

        if (to != VehicleStatus.Reserved && to != VehicleStatus.Sold && (leadId is not null || saleId is not null))
        {
            throw RequestValidationException.For(leadId is not null ? "leadId" : "saleId", $"Only a reservation or a sale names a lead or a sale, not {to}.");
        }

        if (to == Status)
        {
            if (to == VehicleStatus.Reserved && !Reservation!.IsHeldBy(leadId, saleId))
            {
                throw new ConflictException($"Vehicle '{Id}' is already reserved for {Reservation.Holder}.");
            }

            if (to == VehicleStatus.Sold)
            {
                throw new ConflictException($"Vehicle '{Id}' is already sold.");
            }

            return false;
        }

        if (!VehicleLifecycle.Allows(Status, to))
        {
            throw new ConflictException(Status == VehicleStatus.Reserved
                ? $"Vehicle '{Id}' is reserved for {Reservation!.Holder}; release it (available) before making it {to}."
                : $"Vehicle '{Id}' is {Status}; it cannot become {to}.");
        }

        History.Add(new VehicleStatusChange(Status, to, at, by, leadId, saleId));
        Reservation = to == VehicleStatus.Reserved ? new VehicleReservation(leadId, saleId, by, at) : null;
        Status = to;
        Touch(at);
        return true;
    }

    public void AddPhoto(VehiclePhoto photo, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(photo);
        if (Status == VehicleStatus.Sold)
        {
            throw new ConflictException($"Vehicle '{Id}' is sold; it takes no more photos.");
        }

        if (Photos.Count >= MaxPhotos)
        {
            throw new BusinessRuleException("showroom-photo-limit", $"A vehicle takes at most {MaxPhotos} photos.");
        }

        Photos.Add(photo);
        Touch(at);
    }

    private void Touch(DateTimeOffset at)
    {
        UpdatedAt = at;
        Version++;
    }
}

/// <summary>
/// The allowed status moves. Sold is final. A reserved vehicle goes back to available (the lead went cold) or is sold;
/// it cannot become a demo car while someone holds it. A demo car is sold as is or made available first.
/// </summary>
public static class VehicleLifecycle
{
    private static readonly Dictionary<VehicleStatus, VehicleStatus[]> Next = new()
    {
        [VehicleStatus.Available] = [VehicleStatus.Reserved, VehicleStatus.Sold, VehicleStatus.Demo],
        [VehicleStatus.Reserved] = [VehicleStatus.Available, VehicleStatus.Sold],
        [VehicleStatus.Demo] = [VehicleStatus.Available, VehicleStatus.Sold],
        [VehicleStatus.Sold] = [],
    };

    public static bool Allows(VehicleStatus from, VehicleStatus to) => Next[from].Contains(to);
}
