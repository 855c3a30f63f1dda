using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>The pure rules of test drives: slots and overlaps, the driving-licence check, and the maths of a tracked drive.</summary>
public static partial class TestDriveRules
{
    /// <summary>Half-open intervals [start, end) overlap when each starts before the other ends: back to back is not an overlap.</summary>
    public static bool Overlaps(DateTimeOffset aStart, DateTimeOffset aEnd, DateTimeOffset bStart, DateTimeOffset bEnd) => aStart < bEnd && bStart < aEnd;

    /// <summary>What is wrong with a requested slot, per field; empty when it can be booked (availability aside).</summary>
    public static Dictionary<string, string[]> CheckSlot(DateTimeOffset start, int durationMinutes, DateTimeOffset now, TestDriveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var utc = start.ToUniversalTime();
        if (utc <= now)
        {
            errors["start"] = ["A test drive starts in the future."];
        }
        else if (utc > now.AddDays(options.MaxDaysAhead))
        {
            errors["start"] = [$"A test drive is booked at most {options.MaxDaysAhead} days ahead."];
        }
        else if (utc.Second != 0 || utc.Millisecond != 0 || utc.Minute % options.SlotMinutes != 0)
        {
            errors["start"] = [$"A test drive starts on the {options.SlotMinutes}-minute grid (:00, :{options.SlotMinutes:00}...)."];
        }

        if (durationMinutes < options.MinDurationMinutes || durationMinutes > options.MaxDurationMinutes || durationMinutes % options.SlotMinutes != 0)
        {
            errors["durationMinutes"] = [$"{options.MinDurationMinutes} to {options.MaxDurationMinutes} minutes, in steps of {options.SlotMinutes}."];
        }
        else if (!errors.ContainsKey("start") && utc.AddMinutes(durationMinutes).Date != utc.Date && utc.AddMinutes(durationMinutes).TimeOfDay != TimeSpan.Zero)
        {
            errors["durationMinutes"] = ["A test drive ends on the (UTC) day it starts."];
        }

        return errors;
    }

    /// <summary>
    /// Why the drive cannot be cancelled or moved; null when it can. Only a booked drive can: a started or finished drive
    /// happened, and a cancelled one is over (cancelling it again answers it again instead, see the endpoint).
    /// </summary>
    public static string? ChangeRefusal(TestDriveStatus status, string action) => status == TestDriveStatus.Booked
        ? null
        : $"The test drive is {status}; only a booked drive is {action}.";

    /// <summary>
    /// Whether a claim in a day book may be released for another booking: its drive does not back it (the drive does not
    /// exist, is cancelled, or is in another slot) and it was claimed at least <paramref name="grace"/> ago. The grace is
    /// what separates a booking that crashed between its claim and its drive (or a move or cancellation that crashed
    /// between its two writes) from one still on its way: the claim comes first and the drive a few milliseconds later.
    /// A claim stored without its time (before claims recorded it) counts as old.
    /// </summary>
    public static bool IsStaleClaim(TestDriveBooking claim, TestDrive? drive, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var backed = drive is not null && drive.Status != TestDriveStatus.Cancelled && drive.Claim().SameSlot(claim);
        return !backed && (claim.ClaimedAt is not { } claimedAt || now - claimedAt >= grace);
    }

    /// <summary>Licence numbers: 5 to 20 letters and digits, without spaces or dashes.</summary>
    public const string LicenceNumberFormat = "^[A-Za-z0-9]{5,20}$";

    [GeneratedRegex(LicenceNumberFormat, RegexOptions.CultureInvariant)]
    private static partial Regex LicenceNumberPattern();

    /// <summary>Upper case: the form kept (masked) and compared.</summary>
    public static string NormalizeLicenceNumber(string? number) => (number ?? string.Empty).ToUpperInvariant();

    /// <summary>All but the last three characters hidden: what is kept of the number.</summary>
    public static string MaskLicenceNumber(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return normalized.Length <= 3 ? new string('*', normalized.Length) : new string('*', normalized.Length - 3) + normalized[^3..];
    }

    /// <summary>Well-formedness of a licence (400 when broken).</summary>
    public static Dictionary<string, string[]> CheckLicenceFormat(string? number, string? country, IReadOnlyList<string>? categories)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (number is null || !LicenceNumberPattern().IsMatch(number))
        {
            errors["number"] = ["5 to 20 letters and digits, without spaces or dashes."];
        }

        if (country is null || country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
        {
            errors["country"] = ["The issuing country as an ISO 3166-1 alpha-2 code (DE)."];
        }

        if (categories is null || categories.Count is 0 or > 20 || categories.Any(c => c is null || c.Length is 0 or > 4 || !c.All(char.IsAsciiLetterOrDigit)))
        {
            errors["categories"] = ["1 to 20 licence categories (B, BE, A2...)."];
        }

        return errors;
    }

    /// <summary>
    /// Whether the licence lets the holder drive the car on <paramref name="driveDay"/>: not expired that day, category B,
    /// the holder at least <paramref name="minAge"/> years old. Null when it does; otherwise why not, for the problem detail.
    /// </summary>
    public static string? RefusalOf(DateOnly expiresOn, IReadOnlyList<string> categories, DateOnly dateOfBirth, DateOnly driveDay, int minAge)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (expiresOn < driveDay)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The driving licence expired on {expiresOn:yyyy-MM-dd}, before the drive on {driveDay:yyyy-MM-dd}.");
        }

        if (!categories.Any(c => string.Equals(c, "B", StringComparison.OrdinalIgnoreCase)))
        {
            return "The driving licence does not include category B (cars).";
        }

        if (AgeOn(dateOfBirth, driveDay) < minAge)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The driver must be at least {minAge} years old on the day of the drive.");
        }

        return null;
    }

    /// <summary>Whole years; someone born on 29 February turns a year older on 1 March in other years.</summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly day)
    {
        var age = day.Year - dateOfBirth.Year;
        if (day.Month < dateOfBirth.Month || (day.Month == dateOfBirth.Month && day.Day < dateOfBirth.Day))
        {
            age--;
        }

        return age;
    }

    /// <summary>Great-circle distance in metres.</summary>
    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2) =>
        new GeoPoint(lat1, lon1).DistanceKmTo(new GeoPoint(lat2, lon2)) * 1000;

    /// <summary>
    /// A drive's route and what it shows, from its positions (any order, duplicates of one timestamp counted once): distance,
    /// max and average speed (of the readings), the last position, whether it is outside the circle around the dealership,
    /// and each exit from the circle (inside → outside; a drive that starts outside counts as an exit at its first position).
    /// </summary>
    public static TrackSummary Summarize(IEnumerable<TrackPoint> positions, GeoPoint dealership, double radiusMeters)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(dealership);
        var ordered = positions.DistinctBy(p => p.At).OrderBy(p => p.At).ToList();
        if (ordered.Count == 0)
        {
            return new TrackSummary(0, 0, 0, 0, null, false, []);
        }

        var exits = new List<GeofenceExit>();
        var distance = 0.0;
        var wasInside = true;
        TrackPoint? previous = null;
        foreach (var point in ordered)
        {
            if (previous is not null)
            {
                distance += DistanceMeters(previous.Lat, previous.Lon, point.Lat, point.Lon);
            }

            var fromDealership = DistanceMeters(dealership.Lat, dealership.Lon, point.Lat, point.Lon);
            var inside = fromDealership <= radiusMeters;
            if (wasInside && !inside)
            {
                exits.Add(new GeofenceExit(point.At, point.Lat, point.Lon, Math.Round(fromDealership)));
            }

            wasInside = inside;
            previous = point;
        }

        var last = ordered[^1];
        return new TrackSummary(ordered.Count, Math.Round(distance / 1000, 3), ordered.Max(p => p.SpeedKmh), Math.Round(ordered.Average(p => p.SpeedKmh), 1), last, !wasInside,
            exits);
    }
}

/// <summary>One position of a tracked drive.</summary>
public sealed record TrackPoint(DateTimeOffset At, double Lat, double Lon, double SpeedKmh);

/// <param name="MetersFromDealership">How far from the dealership the car was when it was first seen outside.</param>
public sealed record GeofenceExit(DateTimeOffset At, double Lat, double Lon, double MetersFromDealership);

public sealed record TrackSummary(int Positions, double DistanceKm, double MaxSpeedKmh, double AverageSpeedKmh, TrackPoint? Last, bool OutsideGeofence,
    IReadOnlyList<GeofenceExit> GeofenceExits);
