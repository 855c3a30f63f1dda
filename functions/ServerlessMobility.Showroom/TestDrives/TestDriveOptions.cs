namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>The dealership's test-drive rules (section <c>Showroom:TestDrives</c>; the settings table in docs/flows/showroom.md).</summary>
public sealed class TestDriveOptions
{
    public const string SectionName = "Showroom:TestDrives";

    /// <summary>Drives start on the slot grid and last whole slots (15 minutes: 10:00, 10:15...).</summary>
    public int SlotMinutes { get; set; } = 15;

    public int MinDurationMinutes { get; set; } = 15;

    public int MaxDurationMinutes { get; set; } = 120;

    /// <summary>How far ahead a drive may be booked.</summary>
    public int MaxDaysAhead { get; set; } = 60;

    /// <summary>The driver's minimum age on the day of the drive.</summary>
    public int MinDriverAge { get; set; } = 21;

    /// <summary>The radius of the zone around the dealership (the car's stock location) a drive should stay in.</summary>
    public double GeofenceRadiusMeters { get; set; } = 5000;

    /// <summary>
    /// How long a claim in a day book waits for its drive: a claim older than this whose drive does not exist (a booking
    /// that crashed between the two writes) is released to the next booking of its slot.
    /// </summary>
    public int StaleClaimGraceMinutes { get; set; } = 5;

    public TimeSpan StaleClaimGrace => TimeSpan.FromMinutes(StaleClaimGraceMinutes);

    public bool IsValid() =>
        SlotMinutes is >= 5 and <= 60 && 60 % SlotMinutes == 0
        && MinDurationMinutes >= SlotMinutes && MaxDurationMinutes >= MinDurationMinutes && MaxDurationMinutes <= 24 * 60
        && MinDurationMinutes % SlotMinutes == 0 && MaxDurationMinutes % SlotMinutes == 0
        && MaxDaysAhead is >= 1 and <= 365 && MinDriverAge is >= 16 and <= 30
        && double.IsFinite(GeofenceRadiusMeters) && GeofenceRadiusMeters is >= 100 and <= 100_000
        && StaleClaimGraceMinutes is >= 1 and <= 24 * 60;
}
