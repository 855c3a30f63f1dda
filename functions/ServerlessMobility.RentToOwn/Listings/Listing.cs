using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.RentToOwn.Listings;

public enum VehicleType
{
    Motorcycle,
    Car,
    Van,
    Truck,
}

/// <summary>Where a listing came from when it was not an agent's own: the showroom's hand-off of a stock car (its VIN and hand-off id).</summary>
public sealed record ListingSource(string Channel, string HandOffId, string Vin, string ListedBy, DateTimeOffset ListedAt);

public sealed record Reservation(string CustomerId, DateTimeOffset ReservedAt, DateTimeOffset ExpiresAt);

/// <summary>A vehicle offered for rent-to-own. Lower-cased keys make make/location filters exact in SQL.</summary>
public sealed class Listing
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required VehicleType Type { get; init; }

    public required string Make { get; init; }

    public required string Model { get; init; }

    public required int Year { get; init; }

    public required string Currency { get; init; }

    public required decimal Price { get; init; }

    public required decimal WeeklyInstalment { get; init; }

    public required string Location { get; init; }

    /// <summary>Null for a listing an agent created through <c>POST /api/listings</c>.</summary>
    public ListingSource? Source { get; init; }

    public string MakeKey => Make.ToLowerInvariant();

    public string LocationKey => Location.ToLowerInvariant();

    public Reservation? Reservation { get; set; }

    /// <summary>An expired reservation frees the vehicle without any job having to run.</summary>
    public bool IsReservedAt(DateTimeOffset now) => Reservation is not null && Reservation.ExpiresAt > now;

    /// <exception cref="ConflictException">Another customer holds an unexpired reservation.</exception>
    public Reservation Reserve(string customerId, DateTimeOffset now, TimeSpan holdFor)
    {
        if (IsReservedAt(now) && !string.Equals(Reservation!.CustomerId, customerId, StringComparison.Ordinal))
        {
            throw new ConflictException("The vehicle is reserved by another customer.");
        }

        Reservation = new Reservation(customerId, now, now + holdFor);
        return Reservation;
    }
}

public sealed record ListingView(string Id, VehicleType Type, string Make, string Model, int Year, string Currency, decimal Price,
    decimal WeeklyInstalment, string Location, bool Available)
{
    public static ListingView From(Listing listing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(listing);
        return new(listing.Id, listing.Type, listing.Make, listing.Model, listing.Year, listing.Currency, listing.Price,
            listing.WeeklyInstalment, listing.Location, !listing.IsReservedAt(now));
    }
}

public sealed record ListingFilter(VehicleType? Type, string? Make, decimal? MinPrice, decimal? MaxPrice, decimal? MinWeekly, decimal? MaxWeekly, string? Location);

public interface IListingStore
{
    Task<Listing?> GetAsync(string tenantId, string listingId, CancellationToken cancellationToken = default);

    Task CreateAsync(Listing listing, CancellationToken cancellationToken = default);

    /// <summary>Filters inside the tenant partition.</summary>
    Task<IReadOnlyList<Listing>> SearchAsync(string tenantId, ListingFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Read-change-replace with the ETag read; a concurrent writer makes this throw <see cref="ConflictException"/> (409), not retry.</summary>
    Task<T> UpdateAsync<T>(string tenantId, string listingId, Func<Listing, T> change, CancellationToken cancellationToken = default);
}

public sealed class ListingOptions
{
    public const string SectionName = "RentToOwn:Listings";

    public TimeSpan ReservationHold { get; set; } = TimeSpan.FromHours(48);
}
