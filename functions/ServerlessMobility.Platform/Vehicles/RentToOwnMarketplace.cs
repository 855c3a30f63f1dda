using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.Platform.Vehicles;

/// <summary>What kind of vehicle a rent-to-own listing offers; the rent-to-own module maps it onto its own listing types.</summary>
public enum MarketplaceVehicleType
{
    Motorcycle,
    Car,
    Van,
    Truck,
}

/// <summary>A vehicle another line of business hands to the tenant's rent-to-own marketplace (the showroom's hand-off of a stock car).</summary>
/// <param name="HandOffId">
/// The hand-off: the listing's id is derived from it, so the same hand-off sent twice (a retry, or two desks at once) lists the
/// vehicle once and answers the same listing.
/// </param>
/// <param name="Price">The cash price the listing shows.</param>
/// <param name="WeeklyInstalment">What the customer pays a week, in <paramref name="Price"/>'s currency and its minor units.</param>
/// <param name="ListedBy">The subject of the person who handed the vehicle off.</param>
public sealed record RentToOwnListingRequest(
    string TenantId,
    string HandOffId,
    string Vin,
    string Make,
    string Model,
    int Year,
    MarketplaceVehicleType VehicleType,
    Money Price,
    decimal WeeklyInstalment,
    string Location,
    string ListedBy);

/// <param name="Created">False when the hand-off had already been listed: <paramref name="ListingId"/> is that listing.</param>
/// <param name="WeeklyInstalment">The instalment of the listing as stored, so a caller can tell a retry on other terms from a plain retry.</param>
public sealed record RentToOwnListingResult(string ListingId, bool Created, decimal WeeklyInstalment);

/// <summary>
/// The tenant's rent-to-own marketplace, for other modules: the rent-to-own module implements it by creating a listing the
/// way <c>POST /api/listings</c> does. Tenant-scoped; idempotent by <see cref="RentToOwnListingRequest.HandOffId"/>.
/// </summary>
public interface IRentToOwnMarketplace
{
    /// <exception cref="Http.RequestValidationException">The vehicle is not something a listing can show (a make too long, say).</exception>
    Task<RentToOwnListingResult> ListForHandOffAsync(RentToOwnListingRequest request, CancellationToken cancellationToken);
}
