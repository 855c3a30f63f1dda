using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>Booked → Started → Finished; the licence check and the waiver come before the start. Only a booked drive is cancelled (or moved).</summary>
public enum TestDriveStatus
{
    Booked,
    Started,
    Finished,
    Cancelled,
}

public enum InterestLevel
{
    None,
    Low,
    Medium,
    High,
}

/// <summary>What is kept of a licence check: the number masked, never whole; the date of birth is not kept, only that the age was checked.</summary>
public sealed record LicenceCheck(string MaskedNumber, string Country, DateOnly ExpiresOn, IReadOnlyList<string> Categories, bool Passed, string? Refusal,
    int MinAgeChecked, DateTimeOffset CheckedAt, string CheckedBy);

/// <summary>The customer's signature: the typed name, the text version they accepted and its SHA-256, when (the server's clock) and who recorded it.</summary>
public sealed record WaiverSignature(string SignedName, string TextVersion, string TextSha256, DateTimeOffset SignedAt, string RecordedBy);

public sealed record TestDriveFeedback(int Rating, string? Comments, InterestLevel Interest, DateTimeOffset At, string By);

/// <summary>The waiver texts a customer can sign, by version; the hash of the signed one is kept with the signature.</summary>
public static class WaiverTexts
{
    public const string Current = "2099-01";

    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        [Current] = "I take part in this test drive at my own risk. I hold a valid driving licence for the vehicle, I will obey the traffic rules, "
            + "stay with the salesperson's directions and return the vehicle at the agreed time. The vehicle is tracked during the drive. "
            + "I am liable for damage caused by gross negligence, fines and tolls incurred during the drive.",
    };

    public static string? TextOf(string version) => Texts.GetValueOrDefault(version);

    public static string Sha256Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>A test drive of one car of the stock (Cosmos: showroom-test-drives, partition /tenantId).</summary>
public sealed class TestDrive
{
    /// <summary>Enough positions for a two-hour drive at a reading every 4 seconds; a longer track keeps its first positions.</summary>
    public const int MaxTrackPoints = 2000;

    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string Vin { get; set; }

    public required string SalespersonId { get; set; }

    public string? LeadId { get; init; }

    public required string CustomerName { get; init; }

    public required DateTimeOffset Start { get; set; }

    public required DateTimeOffset End { get; set; }

    public required TestDriveStatus Status { get; set; }

    /// <summary>The car's stock location when booked: the centre of the zone the drive should stay in.</summary>
    public required GeoPoint Dealership { get; set; }

    public double GeofenceRadiusMeters { get; set; }

    public required DateTimeOffset BookedAt { get; init; }

    public required string BookedBy { get; init; }

    public LicenceCheck? Licence { get; set; }

    public WaiverSignature? Waiver { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public string? StartedBy { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? FinishedBy { get; set; }

    public List<TrackPoint> Track { get; init; } = [];

    public TestDriveFeedback? Feedback { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public string? CancelledBy { get; set; }

    public string? CancellationReason { get; set; }

    /// <summary>The last move to another slot (the drive keeps its id).</summary>
    public DateTimeOffset? RescheduledAt { get; set; }

    public string? RescheduledBy { get; set; }

    /// <summary>The claim this drive holds in its day book.</summary>
    public TestDriveBooking Claim() => new(Id, Vin, SalespersonId, Start, End);

    /// <summary>Why the drive cannot start yet; null when it can.</summary>
    public string? StartRefusal() => Status switch
    {
        TestDriveStatus.Started => null,
        TestDriveStatus.Finished => "The test drive is finished.",
        TestDriveStatus.Cancelled => "The test drive is cancelled.",
        _ when Licence is not { Passed: true } => "The driving licence has not been checked, or the check failed: check it first (POST .../licence-check).",
        _ when Waiver is null => "The customer has not signed the waiver: record the signature first (POST .../waiver).",
        _ => null,
    };

    /// <summary>Takes the readings taken while the drive runs; the same reading twice (a redelivery) is one position.</summary>
    /// <returns>Whether a position was added.</returns>
    public bool Record(IEnumerable<TrackPoint> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (Status != TestDriveStatus.Started || StartedAt is not { } startedAt)
        {
            return false;
        }

        var known = Track.Select(p => p.At).ToHashSet();
        var added = false;
        foreach (var reading in readings.OrderBy(r => r.At))
        {
            if (reading.At < startedAt || Track.Count >= MaxTrackPoints || !known.Add(reading.At))
            {
                continue;
            }

            Track.Add(reading);
            added = true;
        }

        if (added)
        {
            Track.Sort((a, b) => a.At.CompareTo(b.At));
        }

        return added;
    }

    public TrackSummary Summary() => TestDriveRules.Summarize(Track, Dealership, GeofenceRadiusMeters);

    public void EnsureStatus(TestDriveStatus expected, string action)
    {
        if (Status != expected)
        {
            throw new ConflictException($"The test drive is {Status}; {action} needs it {expected}.");
        }
    }
}

/// <summary>
/// One claim in a day's book: the drive it is for and when it was claimed, so a claim whose drive never came (a booking
/// that crashed between the claim and the drive's creation) can be told from one whose drive is on its way
/// (<see cref="TestDriveRules.IsStaleClaim"/>). Claims stored before <paramref name="ClaimedAt"/> existed have none.
/// </summary>
public sealed record TestDriveBooking(string DriveId, string Vin, string SalespersonId, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? ClaimedAt = null)
{
    /// <summary>The same drive in the same slot with the same car and salesperson, whenever claimed.</summary>
    public bool SameSlot(TestDriveBooking other) =>
        other is not null && string.Equals(DriveId, other.DriveId, StringComparison.Ordinal) && string.Equals(Vin, other.Vin, StringComparison.Ordinal)
        && string.Equals(SalespersonId, other.SalespersonId, StringComparison.Ordinal) && Start == other.Start && End == other.End;
}

/// <summary>
/// The dealership's test drives of one UTC day (Cosmos: showroom-test-drive-slots, id "day-yyyyMMdd"): one document, so a
/// booking checks the car and the salesperson and adds itself in one write under the ETag; two bookings of one slot
/// serialize, and the second sees the first.
/// </summary>
public sealed class TestDriveDayBook
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public List<TestDriveBooking> Bookings { get; init; } = [];

    /// <summary>
    /// Far more than a dealership drives in a day; it keeps the document well under Cosmos' 2 MB. Claims are removed when
    /// their drive is cancelled or moved and when a stale one is taken over, so the book holds only the day's live drives.
    /// </summary>
    public const int MaxBookings = 2000;

    public static string IdFor(DateTimeOffset start) => $"day-{start.UtcDateTime:yyyyMMdd}";

    /// <summary>The claims of other drives that stand in the booking's way: the car or the salesperson in an overlapping slot.</summary>
    public IReadOnlyList<TestDriveBooking> Holders(TestDriveBooking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);

        // A drive never blocks itself: a move within the day overlaps its own old slot until that is freed.
        return Bookings.Where(b => !string.Equals(b.DriveId, booking.DriveId, StringComparison.Ordinal)
                && TestDriveRules.Overlaps(b.Start, b.End, booking.Start, booking.End)
                && (string.Equals(b.Vin, booking.Vin, StringComparison.Ordinal) || string.Equals(b.SalespersonId, booking.SalespersonId, StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// Adds the booking unless the car or the salesperson is already booked in an overlapping slot (409). The same drive
    /// in the same slot twice is a no-op.
    /// </summary>
    public bool Add(TestDriveBooking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);
        if (Bookings.Any(b => b.SameSlot(booking)))
        {
            return false;
        }

        foreach (var other in Holders(booking))
        {
            if (string.Equals(other.Vin, booking.Vin, StringComparison.Ordinal))
            {
                throw new ConflictException($"Vehicle {booking.Vin} is already booked for a test drive from {other.Start:u} to {other.End:u}.");
            }

            if (string.Equals(other.SalespersonId, booking.SalespersonId, StringComparison.Ordinal))
            {
                throw new ConflictException($"Salesperson '{booking.SalespersonId}' already gives a test drive from {other.Start:u} to {other.End:u}.");
            }
        }

        if (Bookings.Count >= MaxBookings)
        {
            throw new ConflictException($"The test-drive day {Id} is full ({MaxBookings} drives).");
        }

        Bookings.Add(booking);
        return true;
    }

    /// <summary>Removes exactly these claims (claimed at the same time too): a stale claim judged so is removed, not a newer one of the same drive.</summary>
    public bool RemoveExactly(IReadOnlyCollection<TestDriveBooking> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims.Count > 0 && Bookings.RemoveAll(claims.Contains) > 0;
    }
}

/// <summary>Which drive a car is on right now (Cosmos: showroom-test-drive-slots, id "car-{VIN}"): what the telemetry observer reads per batch.</summary>
public sealed class TestDriveCar
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public string? ActiveDriveId { get; set; }

    public static string IdFor(string vin) => $"car-{vin}";
}
