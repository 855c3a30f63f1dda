namespace ServerlessMobility.Workshop.Bookings;

/// <summary>Takes slots of the booking grid for one booking, all or none.</summary>
public interface ISlotClaims
{
    /// <summary>Claims every id for <paramref name="bookingId"/>; when one is taken, gives back those this call took.</summary>
    /// <exception cref="Platform.Http.ConflictException">A slot is already booked.</exception>
    Task ClaimAsync(string tenantId, string bookingId, IReadOnlyList<string> claimIds, CancellationToken cancellationToken = default);

    /// <summary>Gives slots back (a booking that could not be completed); ids already free are ignored.</summary>
    Task ReleaseAsync(string tenantId, IReadOnlyList<string> claimIds, CancellationToken cancellationToken = default);
}
