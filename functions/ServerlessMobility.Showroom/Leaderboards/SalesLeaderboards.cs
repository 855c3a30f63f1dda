using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.Leaderboards;

public enum LeaderboardPeriod
{
    Week,
    Month,
}

/// <summary>Ranks a dealership's salespeople by the points they earned in the current UTC week or month.</summary>
public sealed class SalesLeaderboards(ITenantRepository<PointAward> awards, ITenantRepository<Salesperson> salespeople, TimeProvider time)
{
    /// <summary>"week" (the default when absent) or "month"; anything else is a 400 naming the parameter.</summary>
    public static LeaderboardPeriod ParsePeriod(string? period) => (period ?? "week") switch
    {
        "week" => LeaderboardPeriod.Week,
        "month" => LeaderboardPeriod.Month,
        _ => throw RequestValidationException.For("period", "week or month."),
    };

    public async Task<Leaderboard> CurrentAsync(string tenantId, LeaderboardPeriod period, CancellationToken cancellationToken)
    {
        var weekly = period == LeaderboardPeriod.Week;
        var now = time.GetUtcNow();
        var (key, start, end) = weekly ? Week(now) : Month(now);
        var inPeriod = await awards.QueryAsync(tenantId, weekly ? "week" : "month", key, cancellationToken);
        var names = (await salespeople.QueryAsync(tenantId, cancellationToken: cancellationToken)).ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        var totals = inPeriod.GroupBy(a => a.SalespersonId, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Points: g.Sum(a => a.Points), Sales: g.Count(a => a.Action == PointAction.SaleClosed), TestDrives: g.Count(a => a.Action == PointAction.TestDriveBooked)))
            .OrderByDescending(t => t.Points)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToList();
        var entries = totals.Select(t => new LeaderboardEntry(1 + totals.Count(o => o.Points > t.Points), t.Id, names.GetValueOrDefault(t.Id), t.Points, t.Sales, t.TestDrives,
            Badges.For(t.Points, t.Sales))).ToList();
        return new Leaderboard(weekly ? "week" : "month", key, start, end, entries);
    }

    /// <summary>The ISO week holding <paramref name="now"/>: Monday 00:00 UTC to the next Monday.</summary>
    public static (string Key, DateTimeOffset Start, DateTimeOffset End) Week(DateTimeOffset now)
    {
        var day = now.UtcDateTime.Date;
        var start = new DateTimeOffset(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), TimeSpan.Zero);
        return (PointAward.WeekOf(now), start, start.AddDays(7));
    }

    public static (string Key, DateTimeOffset Start, DateTimeOffset End) Month(DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (PointAward.MonthOf(now), start, start.AddMonths(1));
    }
}
