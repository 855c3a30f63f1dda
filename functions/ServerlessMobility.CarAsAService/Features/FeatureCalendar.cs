using System.Globalization;

namespace ServerlessMobility.CarAsAService.Features;

/// <summary>
/// What a month is for over-the-air features: the billing period of open-ended subscriptions and the unit of
/// OneMonth and TwelveMonths purchases. In production a calendar month in UTC. With a fixed length
/// (<see cref="FeatureActivationOptions.MonthLength"/>) a month is that length, counted in whole months from
/// the Unix epoch, so tests and demos see billing and expiry happen in seconds: the durable engine runs on the
/// real clock, which cannot be faked.
/// </summary>
public sealed class FeatureCalendar
{
    /// <summary>A shorter month would give two periods the same second, and so two invoices the same id.</summary>
    public static readonly TimeSpan ShortestFixedMonth = TimeSpan.FromSeconds(1);

    /// <summary>A "month" longer than the longest calendar month is a configuration mistake, not a month.</summary>
    public static readonly TimeSpan LongestFixedMonth = TimeSpan.FromDays(31);

    public FeatureCalendar(TimeSpan? fixedMonthLength)
    {
        if (!IsValidMonthLength(fixedMonthLength))
        {
            throw new ArgumentOutOfRangeException(nameof(fixedMonthLength), fixedMonthLength,
                "A fixed month lasts from 00:00:01 to 31.00:00:00; null means calendar months.");
        }

        FixedMonthLength = fixedMonthLength;
    }

    /// <summary>Calendar months in UTC: the production calendar.</summary>
    public static FeatureCalendar CalendarMonths { get; } = new(null);

    /// <summary>Null for calendar months.</summary>
    public TimeSpan? FixedMonthLength { get; }

    public static bool IsValidMonthLength(TimeSpan? length) =>
        length is null || (length.Value >= ShortestFixedMonth && length.Value <= LongestFixedMonth);

    /// <summary>The first instant of the month that holds <paramref name="at"/>, in UTC.</summary>
    public DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        if (FixedMonthLength is not { } length)
        {
            return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        }

        // Floor division, so an instant before the epoch still falls in the month that contains it.
        var sinceEpoch = (utc - DateTimeOffset.UnixEpoch).Ticks;
        var months = sinceEpoch >= 0 ? sinceEpoch / length.Ticks : -((-sinceEpoch + length.Ticks - 1) / length.Ticks);
        return DateTimeOffset.UnixEpoch.AddTicks(months * length.Ticks);
    }

    /// <summary>
    /// <paramref name="at"/> moved by whole months. Calendar months keep the day of the month, or take the last
    /// day of a shorter month (31 January + 1 month = 28 or 29 February), as <see cref="DateTimeOffset.AddMonths"/> does.
    /// </summary>
    public DateTimeOffset AddMonths(DateTimeOffset at, int months) =>
        FixedMonthLength is { } length ? at.AddTicks(length.Ticks * months) : at.AddMonths(months);

    /// <summary>The first instant after the month that holds <paramref name="at"/>: the end of its billing period.</summary>
    public DateTimeOffset MonthEnd(DateTimeOffset at) => AddMonths(MonthStart(at), 1);

    /// <summary>
    /// How invoices name a billing period: "2027-02" for a calendar month, the start to the second
    /// ("20270201T000020Z") for any other period, so fixed-length months never share an invoice id.
    /// </summary>
    public static string PeriodKey(DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var start = periodStart.ToUniversalTime();
        var isCalendarMonth = start == CalendarMonths.MonthStart(start) && periodEnd == start.AddMonths(1);
        return start.ToString(isCalendarMonth ? "yyyy-MM" : "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The share of the period [<paramref name="periodStart"/>, <paramref name="periodEnd"/>) that
    /// [<paramref name="from"/>, <paramref name="to"/>) covers, clipped to the period: elapsed time over the
    /// period's length, to the tick. For a calendar month that is the days used over the month's 28 to 31 days.
    /// </summary>
    public static decimal ShareOfPeriod(DateTimeOffset from, DateTimeOffset to, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        if (periodEnd <= periodStart)
        {
            throw new ArgumentException("A period ends after it starts.", nameof(periodEnd));
        }

        var start = from > periodStart ? from : periodStart;
        var end = to < periodEnd ? to : periodEnd;
        return end <= start ? 0m : (decimal)(end - start).Ticks / (periodEnd - periodStart).Ticks;
    }
}
