using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.Leaderboards;

/// <param name="Rank">1 for the most points; equal points share a rank.</param>
public sealed record LeaderboardEntry(int Rank, string SalespersonId, string? Name, int Points, int Sales, int TestDrives, IReadOnlyList<string> Badges);

/// <param name="Key">The ISO week ("2026-W49") or month ("2026-12").</param>
/// <param name="Start">Inclusive, UTC (Monday 00:00 for a week, the 1st 00:00 for a month).</param>
/// <param name="End">Exclusive, UTC.</param>
public sealed record Leaderboard(string Period, string Key, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<LeaderboardEntry> Entries);

/// <summary>The dealership's salespeople ranked by the points they earned in the current week or month (UTC).</summary>
public static class LeaderboardEndpoints
{
    public static async Task<Ok<Leaderboard>> GetAsync(string? period, HttpContext http, [FromServices] ITenantRepository<PointAward> awards,
        [FromServices] ITenantRepository<Salesperson> salespeople, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(awards);
        ArgumentNullException.ThrowIfNull(salespeople);
        ArgumentNullException.ThrowIfNull(time);
        var weekly = (period ?? "week") switch
        {
            "week" => true,
            "month" => false,
            _ => throw RequestValidationException.For("period", "week or month."),
        };

        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        var (key, start, end) = weekly ? Week(now) : Month(now);
        var inPeriod = await awards.QueryAsync(user.TenantId, weekly ? "week" : "month", key, cancellationToken);
        var names = (await salespeople.QueryAsync(user.TenantId, cancellationToken: cancellationToken)).ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        var totals = inPeriod.GroupBy(a => a.SalespersonId, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Points: g.Sum(a => a.Points), Sales: g.Count(a => a.Action == PointAction.SaleClosed), TestDrives: g.Count(a => a.Action == PointAction.TestDriveBooked)))
            .OrderByDescending(t => t.Points)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToList();
        var entries = totals.Select(t => new LeaderboardEntry(1 + totals.Count(o => o.Points > t.Points), t.Id, names.GetValueOrDefault(t.Id), t.Points, t.Sales, t.TestDrives,
            Badges.For(t.Points, t.Sales))).ToList();
        return TypedResults.Ok(new Leaderboard(weekly ? "week" : "month", key, start, end, entries));
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
