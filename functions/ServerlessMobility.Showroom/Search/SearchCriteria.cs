using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.Search;

/// <summary>
/// What a buyer or salesperson searches for, as the search route's query string gives it and a saved search keeps it;
/// checked the same way in both places.
/// </summary>
/// <param name="Q">Words to find in make, model, trim, colour and description; the last may be the start of a word.</param>
/// <param name="Sort">relevance (default), price, price-desc, distance (needs lat and lon), newest.</param>
/// <param name="Status">Staff only; ignored for customers, who see what is available.</param>
public sealed record SearchCriteria(string? Q = null, string? Make = null, string? Model = null, FuelType? Fuel = null, string? Colour = null, int? Year = null,
    decimal? MinPrice = null, decimal? MaxPrice = null, double? Lat = null, double? Lon = null, string? Sort = null, VehicleStatus? Status = null)
{
    public const int MaxTextLength = 200;

    /// <summary>Every problem of the criteria by field ("q", "make", …), empty when they can be searched.</summary>
    public Dictionary<string, string[]> Problems(string prefix = "")
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Text(string field, string? value, int max)
        {
            if (value is not null && !InputFormats.IsText(value, max))
            {
                errors[prefix + field] = [$"At most {max} characters, not blank."];
            }
        }

        Text("q", Q, MaxTextLength);
        Text("make", Make, InventoryEndpoints.MaxNameLength);
        Text("model", Model, InventoryEndpoints.MaxNameLength);
        Text("colour", Colour, InventoryEndpoints.MaxNameLength);
        if (Fuel is { } fuel && !Enum.IsDefined(fuel))
        {
            errors[prefix + "fuel"] = [$"One of {string.Join(", ", Enum.GetNames<FuelType>())}."];
        }

        if (Status is { } status && !Enum.IsDefined(status))
        {
            errors[prefix + "status"] = [$"One of {string.Join(", ", Enum.GetNames<VehicleStatus>())}."];
        }

        if (MinPrice < 0)
        {
            errors[prefix + "minPrice"] = ["At least 0."];
        }

        if (MaxPrice < 0 || (MinPrice is not null && MaxPrice < MinPrice))
        {
            errors[prefix + "maxPrice"] = ["At least 0 and not below minPrice."];
        }

        if ((Lat is null) != (Lon is null) || (Lat is { } la && Lon is { } lo && !GeoPoint.IsValid(la, lo)))
        {
            errors[prefix + "lat"] = ["lat (-90 to 90) and lon (-180 to 180) go together."];
        }

        var order = Order();
        if (order is null)
        {
            errors[prefix + "sort"] = ["One of relevance, price, price-desc, distance, newest."];
        }
        else if (order == VehicleSort.Distance && Lat is null)
        {
            errors[prefix + "sort"] = ["Sorting by distance needs lat and lon."];
        }

        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Problems();
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
    }

    /// <summary>The query in <paramref name="user"/>'s dealership: customers search what is available whatever they ask, staff may filter by status.</summary>
    public VehicleSearchQuery ToQuery(CurrentUser user, int page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(user);
        var staff = ShowroomAccess.IsStaff(user);
        var near = Lat is { } latitude && Lon is { } longitude ? new GeoPoint(latitude, longitude) : null;
        return new VehicleSearchQuery(user.TenantId, !staff, Q, Make, Model, Fuel, Colour, Year, MinPrice, MaxPrice, staff ? Status : null, near,
            Order() ?? VehicleSort.Relevance, page, pageSize);
    }

    private VehicleSort? Order() => Sort?.Trim().ToLowerInvariant() switch
    {
        null or "" or "relevance" => VehicleSort.Relevance,
        "price" or "price-asc" => VehicleSort.PriceAscending,
        "price-desc" => VehicleSort.PriceDescending,
        "distance" => VehicleSort.Distance,
        "newest" => VehicleSort.Newest,
        _ => null,
    };
}
