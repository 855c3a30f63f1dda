using System.Globalization;

namespace ServerlessMobility.Showroom.Leaderboards;

/// <summary>What earns a salesperson points, and how many (the table in docs/flows/showroom.md).</summary>
public enum PointAction
{
    LeadCaptured,
    TestDriveBooked,
    ActivityLogged,
    SaleClosed,
}

/// <summary>
/// Points for one action, stored once: the id names the action and what it was done to (the lead, the activity), so a
/// duplicated delivery of the same action creates the same id and the store refuses the second.
/// </summary>
/// <param name="Week">ISO week of <paramref name="At"/> in UTC ("2026-W49"), stored so a week's board is one query.</param>
/// <param name="Month">UTC month of <paramref name="At"/> ("2026-12").</param>
public sealed record PointAward(string Id, string TenantId, string SalespersonId, PointAction Action, int Points, string LeadId, DateTimeOffset At, string Week, string Month)
{
    public static int PointsFor(PointAction action) => action switch
    {
        PointAction.LeadCaptured => 5,
        PointAction.TestDriveBooked => 10,
        PointAction.ActivityLogged => 2,
        PointAction.SaleClosed => 50,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    /// <param name="detail">What distinguishes two awards of the same action on one lead (an activity's id); null when the action happens once per lead.</param>
    public static PointAward For(string tenantId, string salespersonId, PointAction action, string leadId, string? detail, DateTimeOffset at)
    {
        var id = detail is null ? $"{action}-{leadId}" : $"{action}-{leadId}-{detail}";
        return new PointAward(id, tenantId, salespersonId, action, PointsFor(action), leadId, at, WeekOf(at), MonthOf(at));
    }

    public static string WeekOf(DateTimeOffset at)
    {
        var day = at.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day):00}");
    }

    public static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>Badges for a period's points: each threshold reached shows its badge.</summary>
public static class Badges
{
    public static readonly IReadOnlyList<(int Threshold, string Name)> Thresholds = [(25, "bronze"), (100, "silver"), (250, "gold")];

    /// <summary>A salesperson who closed a sale in the period also shows "closer".</summary>
    public static IReadOnlyList<string> For(int points, int sales) =>
        [.. Thresholds.Where(t => points >= t.Threshold).Select(t => t.Name), .. sales > 0 ? new[] { "closer" } : []];
}
