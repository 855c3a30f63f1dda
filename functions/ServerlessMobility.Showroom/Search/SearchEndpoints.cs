using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.Search;

public sealed record SuggestionsView(string Prefix, IReadOnlyList<string> Suggestions);

/// <summary>
/// Search in the caller's dealership: full text, filters, facet counts, sorting by price or distance, autocomplete.
/// Customers search what is available; staff the whole stock, or one status.
/// </summary>
public static class SearchEndpoints
{
    public const int MaxTextLength = 200;
    public const int PageSize = 20;
    public const int MaxSuggestions = 10;

    /// <param name="q">Words to find in make, model, trim, colour and description; the last may be the start of a word.</param>
    /// <param name="sort">relevance (default), price, price-desc, distance (needs lat and lon), newest.</param>
    public static async Task<Ok<VehicleSearchResult>> SearchAsync(string? q, string? make, string? model, FuelType? fuel, string? colour, int? year, decimal? minPrice,
        decimal? maxPrice, double? lat, double? lon, string? sort, VehicleStatus? status, int? page, HttpContext http, [FromServices] IVehicleSearch search,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(search);
        var number = Paging.PageNumber(page);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Text(string field, string? value, int max)
        {
            if (value is not null && !InputFormats.IsText(value, max))
            {
                errors[field] = [$"At most {max} characters, not blank."];
            }
        }

        Text("q", q, MaxTextLength);
        Text("make", make, InventoryEndpoints.MaxNameLength);
        Text("model", model, InventoryEndpoints.MaxNameLength);
        Text("colour", colour, InventoryEndpoints.MaxNameLength);
        if (minPrice < 0)
        {
            errors["minPrice"] = ["At least 0."];
        }

        if (maxPrice < 0 || (minPrice is not null && maxPrice < minPrice))
        {
            errors["maxPrice"] = ["At least 0 and not below minPrice."];
        }

        if ((lat is null) != (lon is null) || (lat is { } la && lon is { } lo && !GeoPoint.IsValid(la, lo)))
        {
            errors["lat"] = ["lat (-90 to 90) and lon (-180 to 180) go together."];
        }

        VehicleSort? order = sort?.Trim().ToLowerInvariant() switch
        {
            null or "" or "relevance" => VehicleSort.Relevance,
            "price" or "price-asc" => VehicleSort.PriceAscending,
            "price-desc" => VehicleSort.PriceDescending,
            "distance" => VehicleSort.Distance,
            "newest" => VehicleSort.Newest,
            _ => null,
        };
        if (order is null)
        {
            errors["sort"] = ["One of relevance, price, price-desc, distance, newest."];
        }
        else if (order == VehicleSort.Distance && lat is null)
        {
            errors["sort"] = ["Sorting by distance needs lat and lon."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var staff = ShowroomAccess.IsStaff(user);
        var near = lat is { } latitude && lon is { } longitude ? new GeoPoint(latitude, longitude) : null;
        var query = new VehicleSearchQuery(user.TenantId, !staff, q, make, model, fuel, colour, year, minPrice, maxPrice, staff ? status : null, near, order!.Value, number, PageSize);
        return TypedResults.Ok(await search.SearchAsync(query, cancellationToken));
    }

    /// <param name="prefix">What the buyer typed so far, 1 to 40 characters.</param>
    public static async Task<Ok<SuggestionsView>> SuggestAsync(string? prefix, HttpContext http, [FromServices] IVehicleSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(search);
        if (!InputFormats.IsText(prefix, InventoryEndpoints.MaxNameLength))
        {
            throw RequestValidationException.For("prefix", $"1 to {InventoryEndpoints.MaxNameLength} characters, not blank.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var suggestions = await search.SuggestAsync(user.TenantId, !ShowroomAccess.IsStaff(user), prefix!, MaxSuggestions, cancellationToken);
        return TypedResults.Ok(new SuggestionsView(prefix!, suggestions));
    }
}
