using FluentValidation;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.RentToOwn.Listings;

/// <summary>
/// The rent-to-own side of a hand-off from another line of business (the showroom): the vehicle becomes a listing exactly as
/// an agent's <c>POST /api/listings</c> would make it (same validator, same handler), under an id derived from the hand-off.
/// </summary>
public sealed class HandOffListings(IValidator<CreateListingRequest> validator, CreateListingHandler handler, TimeProvider time) : IRentToOwnMarketplace
{
    /// <summary>The channel recorded on listings that came from the showroom.</summary>
    public const string ShowroomChannel = "showroom-hand-off";

    public async Task<RentToOwnListingResult> ListForHandOffAsync(RentToOwnListingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!InputFormats.IsClientId(request.HandOffId, 64))
        {
            throw RequestValidationException.For("handOffId", "A hand-off id of letters, digits, '-' or '_' (at most 64) is required.");
        }

        var listing = new CreateListingRequest(ToListingType(request.VehicleType), request.Make, request.Model, request.Year, request.Price.Currency, request.Price.Amount,
            request.WeeklyInstalment, request.Location);
        validator.ValidateOrThrow(listing);
        var source = new ListingSource(ShowroomChannel, request.HandOffId, request.Vin, request.ListedBy, time.GetUtcNow());
        var (stored, created) = await handler.CreateOnceAsync(listing, request.TenantId, ListingId(request.HandOffId), source, cancellationToken);
        return new RentToOwnListingResult(stored.Id, created, stored.WeeklyInstalment);
    }

    /// <summary>Stable per hand-off, and never the shape of an agent's listing id (32 hex digits), so the two never collide.</summary>
    public static string ListingId(string handOffId) => $"handoff-{handOffId}";

    private static VehicleType ToListingType(MarketplaceVehicleType type) => type switch
    {
        MarketplaceVehicleType.Motorcycle => VehicleType.Motorcycle,
        MarketplaceVehicleType.Car => VehicleType.Car,
        MarketplaceVehicleType.Van => VehicleType.Van,
        MarketplaceVehicleType.Truck => VehicleType.Truck,
        _ => throw RequestValidationException.For("vehicleType", "Motorcycle, car, van or truck."),
    };
}
