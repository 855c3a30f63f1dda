using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.Search;

public enum VehicleSort
{
    /// <summary>Best text match first (newest first without text).</summary>
    Relevance,
    PriceAscending,
    PriceDescending,

    /// <summary>Nearest to <see cref="VehicleSearchQuery.Near"/> first, by the dealership location of each vehicle.</summary>
    Distance,
    Newest,
}

/// <summary>
/// One search in one dealership's stock. <see cref="AvailableOnly"/> is set for customers, whatever they ask; staff
/// may filter by <see cref="Status"/>. Text and keyword filters ignore case.
/// </summary>
public sealed record VehicleSearchQuery(
    string TenantId,
    bool AvailableOnly,
    string? Text = null,
    string? Make = null,
    string? Model = null,
    FuelType? Fuel = null,
    string? Colour = null,
    int? Year = null,
    decimal? MinPrice = null,
    decimal? MaxPrice = null,
    VehicleStatus? Status = null,
    GeoPoint? Near = null,
    VehicleSort Sort = VehicleSort.Relevance,
    int Page = 1,
    int PageSize = 20);

/// <param name="DistanceKm">From the point searched near, when one was given.</param>
public sealed record VehicleSearchHit(string Vin, string Make, string Model, int Year, string? Trim, FuelType Fuel, string Colour, int MileageKm, decimal Price,
    string Currency, VehicleStatus Status, GeoPoint Location, DateTimeOffset AddedAt, double? DistanceKm = null);

public sealed record FacetCount(string Value, int Count);

/// <summary>Counts over every vehicle the search matched (all pages), most frequent first (price bands and years in their own order).</summary>
public sealed record VehicleFacets(
    IReadOnlyList<FacetCount> Make,
    IReadOnlyList<FacetCount> Model,
    IReadOnlyList<FacetCount> Year,
    IReadOnlyList<FacetCount> PriceBand,
    IReadOnlyList<FacetCount> Fuel,
    IReadOnlyList<FacetCount> Colour);

public sealed record VehicleSearchResult(IReadOnlyList<VehicleSearchHit> Hits, int Total, int Page, int PageSize, VehicleFacets Facets);

/// <summary>
/// Full-text and faceted search over dealership stock, kept in step with the inventory by <see cref="IndexAsync"/> after
/// every committed write. The local implementation is <see cref="LuceneVehicleSearch"/>; an Azure AI Search one is not built yet.
/// </summary>
public interface IVehicleSearch
{
    /// <summary>Takes in the vehicle as just stored; an older version than the one indexed is ignored, so writes may arrive out of order.</summary>
    Task IndexAsync(InventoryVehicle vehicle, CancellationToken cancellationToken = default);

    Task<VehicleSearchResult> SearchAsync(VehicleSearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>Makes, models, trims and their combinations ("BMW 320i M Sport") starting with <paramref name="prefix"/>, most stocked first.</summary>
    Task<IReadOnlyList<string>> SuggestAsync(string tenantId, bool availableOnly, string prefix, int max, CancellationToken cancellationToken = default);
}
