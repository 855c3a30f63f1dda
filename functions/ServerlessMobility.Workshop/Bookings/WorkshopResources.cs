using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Workshop.Bookings;

/// <summary>A service bay of one workshop location; one vehicle at a time.</summary>
public sealed record Bay(string Id, string TenantId, string Name, string Location);

/// <summary>A weekly working window, in UTC (a workshop that keeps local hours converts once, when it sets shifts).</summary>
public sealed record Shift(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    public bool Covers(DateTimeOffset start, DateTimeOffset end)
    {
        var from = start.UtcDateTime;
        var to = end.UtcDateTime;
        if (from.DayOfWeek != Day || to <= from)
        {
            return false;
        }

        // Measured from the day's midnight, so a shift to the end of the day (TimeOnly.MaxValue) takes a booking until 24:00.
        var midnight = from.Date;
        var shiftEnd = End == TimeOnly.MaxValue ? TimeSpan.FromDays(1) : End.ToTimeSpan();
        return from - midnight >= Start.ToTimeSpan() && to - midnight <= shiftEnd;
    }
}

/// <summary>A technician: what they can do (skills such as "brakes", "ev-battery") and when they work.</summary>
public sealed record Technician(string Id, string TenantId, string Name, IReadOnlyList<string> Skills, IReadOnlyList<Shift> Shifts)
{
    public bool Has(string skill) => Skills.Contains(skill, StringComparer.OrdinalIgnoreCase);

    public bool WorksDuring(DateTimeOffset start, DateTimeOffset end) => Shifts.Any(s => s.Covers(start, end));
}

/// <summary>
/// The workshop's booking grid: every booking takes whole slots of <see cref="SlotLength"/>, aligned to the grid, so
/// that "this bay at this time" and "this technician at this time" are each one document id, and two bookings of the
/// same bay or technician at the same time collide on that id instead of both being written.
/// </summary>
public static class SlotGrid
{
    public static readonly TimeSpan SlotLength = TimeSpan.FromHours(1);

    public const int MaxSlotsPerBooking = 8;

    /// <summary>The slot starts a booking of <paramref name="slots"/> slots from <paramref name="start"/> takes.</summary>
    public static IReadOnlyList<DateTimeOffset> Slots(DateTimeOffset start, int slots)
    {
        var utc = start.ToUniversalTime();
        if (utc.Ticks % SlotLength.Ticks != 0)
        {
            throw RequestValidationException.For("start", "A booking starts on the hour (UTC).");
        }

        if (slots is < 1 or > MaxSlotsPerBooking)
        {
            throw RequestValidationException.For("hours", $"A booking takes 1 to {MaxSlotsPerBooking} hours.");
        }

        return [.. Enumerable.Range(0, slots).Select(i => utc + (SlotLength * i))];
    }

    public static string BayClaimId(string bayId, DateTimeOffset slot) => $"bay.{bayId}.{slot.UtcDateTime:yyyyMMddTHHmm}";

    public static string TechnicianClaimId(string technicianId, DateTimeOffset slot) => $"tech.{technicianId}.{slot.UtcDateTime:yyyyMMddTHHmm}";
}

/// <summary>Who can take a booking: technicians with the skill, on shift for the whole booking, and not already booked then.</summary>
public static class SlotCapacity
{
    /// <param name="busyTechnicianIds">Technicians already booked in one of the slots.</param>
    /// <returns>Capable, available technicians, fewest skills first, so specialists stay free for the work only they can do.</returns>
    public static IReadOnlyList<Technician> AvailableTechnicians(IEnumerable<Technician> technicians, string skill, DateTimeOffset start, int slots,
        IReadOnlySet<string> busyTechnicianIds)
    {
        ArgumentNullException.ThrowIfNull(technicians);
        ArgumentNullException.ThrowIfNull(busyTechnicianIds);
        var end = start + (SlotGrid.SlotLength * slots);
        return [.. technicians
            .Where(t => t.Has(skill) && t.WorksDuring(start, end) && !busyTechnicianIds.Contains(t.Id))
            .OrderBy(t => t.Skills.Count)
            .ThenBy(t => t.Id, StringComparer.Ordinal)];
    }
}
