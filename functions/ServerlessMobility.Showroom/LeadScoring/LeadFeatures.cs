using Microsoft.ML.Data;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.LeadScoring;

/// <summary>One feature the model reads, with the words a salesperson sees in an explanation.</summary>
public sealed record LeadFeature(string Name, string Description);

/// <summary>
/// The model's view of a lead: a fixed-order vector of numbers (<see cref="All"/>), the same for the synthetic training rows
/// and for real leads, so the model trained on one scores the other.
/// </summary>
public static class LeadFeatures
{
    public const int Count = 11;

    /// <summary>Days and hours beyond these say nothing more (and keep one stale lead from dominating a tree split).</summary>
    public const float MaxDays = 120;

    public const float MaxResponseHours = 96;

    public static readonly IReadOnlyList<LeadFeature> All =
    [
        new("sourceWalkIn", "Walked in to the showroom"),
        new("sourceWeb", "Came in through a web enquiry"),
        new("sourceTestDrive", "Came in through a test-drive booking"),
        new("daysSinceFirstContact", "Days since the first contact"),
        new("activityCount", "Calls, e-mails, visits and notes logged"),
        new("testDriveTaken", "Took a test drive"),
        new("budgetToPriceRatio", "Budget against the listed price"),
        new("financePreApproved", "Finance pre-approved"),
        new("hasTradeIn", "Has a vehicle to trade in"),
        new("repeatCustomer", "Bought from the dealership before"),
        new("responseHours", "Hours until the first call, e-mail or visit"),
    ];

    /// <summary>When the buyer named no budget or the vehicle no price, the lead is scored as if the budget met the price.</summary>
    public const float UnknownBudgetRatio = 1.0f;

    public static float[] Of(Lead lead, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var days = (float)Math.Clamp((now - lead.CreatedAt).TotalDays, 0, MaxDays);
        var responded = lead.FirstResponseAt ?? now;
        var responseHours = (float)Math.Clamp((responded - lead.CreatedAt).TotalHours, 0, MaxResponseHours);
        var ratio = lead is { Budget: { } budget, ListedPrice: { } price } && price > 0 ? (float)Math.Clamp(budget / price, 0m, 3m) : UnknownBudgetRatio;
        return Vector(lead.Source, days, lead.Activities.Count(a => a.Kind != LeadActivityKind.Contact), lead.TestDriveTaken, ratio, lead.FinancePreApproved,
            lead.HasTradeIn, lead.RepeatCustomer, responseHours);
    }

    public static float[] Vector(LeadSource source, float days, int activities, bool testDrive, float budgetRatio, bool finance, bool tradeIn, bool repeat, float responseHours) =>
    [
        Flag(source == LeadSource.WalkIn),
        Flag(source == LeadSource.Web),
        Flag(source == LeadSource.TestDrive),
        days,
        activities,
        Flag(testDrive),
        budgetRatio,
        Flag(finance),
        Flag(tradeIn),
        Flag(repeat),
        responseHours,
    ];

    private static float Flag(bool value) => value ? 1f : 0f;
}

/// <summary>One row as ML.NET reads it.</summary>
public sealed class LeadFeatureRow
{
    [VectorType(LeadFeatures.Count)]
    public float[] Features { get; set; } = new float[LeadFeatures.Count];

    /// <summary>Whether the lead was won (training only; ignored when scoring).</summary>
    public bool Label { get; set; }
}

/// <summary>What the model and its contribution calculator answer for one row.</summary>
public sealed class LeadScoreRow
{
    public float Probability { get; set; }

    public float Score { get; set; }

    [VectorType(LeadFeatures.Count)]
    public float[] FeatureContributions { get; set; } = [];
}
