using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.RentToOwn.Listings;

public static class ListingEndpoints
{
    public static void MapRentToOwnListings(this IEndpointRouteBuilder api)
    {
        var listings = api.MapGroup("/listings").WithTags("Rent-to-own listings");
        api.MapGet("/listings", SearchAsync).WithTags("Rent-to-own listings").WithName("SearchListings").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
        listings.MapGet("/{id}", GetAsync).WithName("GetListing").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
        api.MapPost("/listings", CreateListingEndpoint.CreateAsync).WithTags("Rent-to-own listings").WithName("CreateListing").RequireRoles(PlatformRoles.Agent, PlatformRoles.Admin);
        listings.MapPost("/{id}/reservations", ReserveAsync).WithName("ReserveListing").RequireRoles(PlatformRoles.Customer);
    }

    public static async Task<Ok<IReadOnlyList<ListingView>>> SearchAsync(HttpContext http, IListingStore store, TimeProvider time, VehicleType? type, string? make,
        decimal? minPrice, decimal? maxPrice, decimal? minWeekly, decimal? maxWeekly, string? location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        if (minPrice > maxPrice || minWeekly > maxWeekly || minPrice < 0 || minWeekly < 0)
        {
            throw RequestValidationException.For("minPrice", "Ranges must be non-negative with min <= max.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        var found = await store.SearchAsync(user.TenantId, new ListingFilter(type, make, minPrice, maxPrice, minWeekly, maxWeekly, location), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ListingView>>(found.Select(l => ListingView.From(l, now)).OrderBy(l => l.WeeklyInstalment).ToList());
    }

    public static async Task<Ok<ListingView>> GetAsync(string id, HttpContext http, IListingStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var listing = await store.GetAsync(user.TenantId, id, cancellationToken) ?? throw new ResourceNotFoundException("Listing", id);
        return TypedResults.Ok(ListingView.From(listing, time.GetUtcNow()));
    }

    /// <summary>One customer at a time; a stale ETag (someone reserved in between) is a 409.</summary>
    public static async Task<Created<Reservation>> ReserveAsync(string id, HttpContext http, IListingStore store, IOptions<ListingOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        var reservation = await store.UpdateAsync(user.TenantId, id, listing => listing.Reserve(user.Subject, now, options.Value.ReservationHold), cancellationToken);
        return TypedResults.Created($"/api/listings/{id}", reservation);
    }
}
