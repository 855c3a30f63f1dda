namespace ServerlessMobility.Workshop.Bookings;

/// <summary>A service slot booked for one vehicle: a bay and a technician for whole hours of the slot grid.</summary>
/// <param name="JobId">The service job opened when the vehicle checked in; null until then.</param>
public sealed record Booking(
    string Id,
    string TenantId,
    string CustomerId,
    string VehicleId,
    string BayId,
    string TechnicianId,
    string Skill,
    DateTimeOffset Start,
    int Hours,
    DateTimeOffset BookedAt,
    string BookedBy,
    string? JobId = null)
{
    public DateTimeOffset End => Start + (SlotGrid.SlotLength * Hours);

    /// <summary>The UTC day ("2099-01-06"), stored with the booking so the day's board is one query in the tenant's partition.</summary>
    public string Day => DayOf(Start);

    public static string DayOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// One bay's or technician's slot, taken by one booking. Its id is the resource and the slot (<see cref="SlotGrid"/>),
/// so the store's create-if-absent decides which of two concurrent bookings gets it.
/// </summary>
public sealed record SlotClaim(string Id, string TenantId, string BookingId);
