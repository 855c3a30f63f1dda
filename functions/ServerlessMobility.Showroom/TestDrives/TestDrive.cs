using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>Booked → Started → Finished; the licence check and the waiver come before the start.</summary>
public enum TestDriveStatus
{
    Booked,
    Started,
    Finished,
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

    public required string Vin { get; init; }

    public required string SalespersonId { get; init; }

    public string? LeadId { get; init; }

    public required string CustomerName { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required TestDriveStatus Status { get; set; }

    /// <summary>The car's stock location when booked: the centre of the zone the drive should stay in.</summary>
    public required GeoPoint Dealership { get; init; }

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

    /// <summary>Why the drive cannot start yet; null when it can.</summary>
    public string? StartRefusal() => Status switch
    {
        TestDriveStatus.Started => null,
        TestDriveStatus.Finished => "The test drive is finished.",
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

/// <summary>One booking in a day's book.</summary>
public sealed record TestDriveBooking(string DriveId, string Vin, string SalespersonId, DateTimeOffset Start, DateTimeOffset End);

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

    public static string IdFor(DateTimeOffset start) => $"day-{start.UtcDateTime:yyyyMMdd}";

    /// <summary>Adds the booking unless the car or the salesperson is already booked in an overlapping slot (409). The same drive twice is a no-op.</summary>
    public bool Add(TestDriveBooking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);
        if (Bookings.Any(b => b.DriveId == booking.DriveId))
        {
            return false;
        }

        foreach (var other in Bookings.Where(b => TestDriveRules.Overlaps(b.Start, b.End, booking.Start, booking.End)))
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

        Bookings.Add(booking);
        return true;
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
