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
        var criteria = new SearchCriteria(q, make, model, fuel, colour, year, minPrice, maxPrice, lat, lon, sort, status);
        criteria.ThrowIfInvalid();
        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(await search.SearchAsync(criteria.ToQuery(user, number, PageSize), cancellationToken));
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
