namespace ServerlessMobility.RentToOwn.Credit;

public enum KycStatus
{
    NotStarted,
    Pending,
    Approved,
    Rejected,
}

/// <summary>Kinds of telematics risk events the telemetry pipeline reports for a customer's driving.</summary>
public enum RiskEventKind
{
    Speeding,
    HarshBraking,
    GeofenceExit,
    TamperAlert,
}

/// <summary>A telematics behaviour signal; owned here so that the credit slice does not wait for the telemetry slice.</summary>
public sealed record RiskEvent(RiskEventKind Kind, DateTimeOffset OccurredAt, string? Detail = null);

/// <summary>The customer's record on an earlier plan.</summary>
public sealed record PriorPlanRecord(string PlanId, int InstalmentsDue, int InstalmentsPaidLate, bool Defaulted, bool PaidOff);

public sealed record CreditApplication
{
    public required string CustomerId { get; init; }

    public required KycStatus KycStatus { get; init; }

    public required decimal MonthlyIncome { get; init; }

    /// <summary>What the requested plan costs per month (weekly instalments × 52 / 12 and so on).</summary>
    public required decimal MonthlyInstalment { get; init; }

    public required decimal VehiclePrice { get; init; }

    public required decimal Deposit { get; init; }

    public required int TermMonths { get; init; }

    public int MonthsInCurrentOccupation { get; init; }

    public IReadOnlyList<PriorPlanRecord> PriorPlans { get; init; } = [];

    public IReadOnlyList<RiskEvent> RiskEvents { get; init; } = [];
}

public enum CreditDecisionOutcome
{
    Approved,
    ConditionallyApproved,
    Rejected,
}

/// <summary>One named factor: how many points it gave and why, so an agent can explain the decision.</summary>
public sealed record CreditFactor(string Name, int Points, string Reason);

/// <summary>For a conditional approval: what would make the application acceptable.</summary>
public sealed record CreditConditions(decimal MinimumDeposit, int MaximumTermMonths);

public sealed record CreditDecision(
    CreditDecisionOutcome Outcome,
    int Score,
    IReadOnlyList<CreditFactor> Factors,
    IReadOnlyList<string> Reasons,
    CreditConditions? Conditions);

/// <summary>Cut-offs and limits of the scorecard; bound from configuration so credit policy changes without a release.</summary>
public sealed record CreditPolicy
{
    public const string SectionName = "RentToOwn:Credit";

    public int ApproveAtOrAbove { get; init; } = 60;

    public int ConditionalAtOrAbove { get; init; } = 40;

    /// <summary>Deposit share of the price asked for in a conditional approval.</summary>
    public decimal ConditionalDepositShare { get; init; } = 0.25m;

    public int ConditionalMaxTermMonths { get; init; } = 12;

    /// <summary>Only risk events this recent count; old behaviour should not follow a customer for ever.</summary>
    public TimeSpan RiskEventWindow { get; init; } = TimeSpan.FromDays(90);
}

/// <summary>
/// A transparent points scorecard: every factor is a small named rule with its points and reason. The
/// base is 50; rules add or subtract. Hard rules (KYC not approved, an unresolved default) reject
/// regardless of points, because no deposit makes them acceptable.
/// </summary>
public sealed class CreditScorecard(CreditPolicy policy)
{
    public const int BaseScore = 50;

    public CreditDecision Assess(CreditApplication application, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(application);
        var factors = new List<CreditFactor>
        {
            Kyc(application),
            Affordability(application),
            DepositShare(application),
            Employment(application),
            PaymentHistory(application),
            Driving(application, asOf, policy.RiskEventWindow),
        };
        var score = Math.Clamp(BaseScore + factors.Sum(f => f.Points), 0, 100);
        var hardRejects = new List<string>();
        if (application.KycStatus != KycStatus.Approved)
        {
            hardRejects.Add("Identity verification (KYC) is not approved.");
        }

        if (application.PriorPlans.Any(p => p.Defaulted && !p.PaidOff))
        {
            hardRejects.Add("An earlier plan is in default.");
        }

        if (application.MonthlyIncome <= 0 || application.MonthlyInstalment > application.MonthlyIncome * 0.5m)
        {
            hardRejects.Add("The instalment is more than half of the declared income.");
        }

        var negative = factors.Where(f => f.Points < 0).Select(f => f.Reason).ToList();
        if (hardRejects.Count > 0)
        {
            return new CreditDecision(CreditDecisionOutcome.Rejected, score, factors, [.. hardRejects, .. negative], null);
        }

        if (score >= policy.ApproveAtOrAbove)
        {
            return new CreditDecision(CreditDecisionOutcome.Approved, score, factors, ["Score at or above the approval cut-off."], null);
        }

        if (score >= policy.ConditionalAtOrAbove)
        {
            var conditions = new CreditConditions(
                Math.Max(application.Deposit, Math.Round(application.VehiclePrice * policy.ConditionalDepositShare, 2, MidpointRounding.AwayFromZero)),
                Math.Min(application.TermMonths, policy.ConditionalMaxTermMonths));
            return new CreditDecision(CreditDecisionOutcome.ConditionallyApproved, score, factors,
                ["Score below the approval cut-off: a bigger deposit and a shorter term are required.", .. negative], conditions);
        }

        return new CreditDecision(CreditDecisionOutcome.Rejected, score, factors, ["Score below the conditional cut-off.", .. negative], null);
    }

    public static CreditFactor Kyc(CreditApplication a) => a.KycStatus == KycStatus.Approved
        ? new("kyc", 10, "Identity verified.")
        : new("kyc", -30, "Identity not verified.");

    /// <summary>Instalment as a share of income: the main driver of repayment.</summary>
    public static CreditFactor Affordability(CreditApplication a)
    {
        if (a.MonthlyIncome <= 0)
        {
            return new("affordability", -30, "No income declared.");
        }

        var ratio = a.MonthlyInstalment / a.MonthlyIncome;
        return ratio switch
        {
            <= 0.2m => new("affordability", 20, "Instalment at most 20% of income."),
            <= 0.35m => new("affordability", 5, "Instalment between 20% and 35% of income."),
            <= 0.5m => new("affordability", -15, "Instalment between 35% and 50% of income."),
            _ => new("affordability", -30, "Instalment above 50% of income."),
        };
    }

    public static CreditFactor DepositShare(CreditApplication a)
    {
        var share = a.VehiclePrice <= 0 ? 0 : a.Deposit / a.VehiclePrice;
        return share switch
        {
            >= 0.3m => new("deposit", 10, "Deposit at least 30% of the price."),
            >= 0.1m => new("deposit", 0, "Deposit between 10% and 30% of the price."),
            _ => new("deposit", -10, "Deposit below 10% of the price."),
        };
    }

    public static CreditFactor Employment(CreditApplication a) => a.MonthsInCurrentOccupation switch
    {
        >= 24 => new("employment", 5, "Two years or more in the current occupation."),
        >= 6 => new("employment", 0, "Six months to two years in the current occupation."),
        _ => new("employment", -5, "Less than six months in the current occupation."),
    };

    public static CreditFactor PaymentHistory(CreditApplication a)
    {
        if (a.PriorPlans.Count == 0)
        {
            return new("payment-history", 0, "No earlier plans.");
        }

        if (a.PriorPlans.Any(p => p.Defaulted))
        {
            return new("payment-history", -25, "An earlier plan defaulted.");
        }

        var due = a.PriorPlans.Sum(p => p.InstalmentsDue);
        var lateShare = due == 0 ? 0m : (decimal)a.PriorPlans.Sum(p => p.InstalmentsPaidLate) / due;
        return lateShare switch
        {
            <= 0.05m => new("payment-history", 15, "Earlier plans paid on time."),
            <= 0.2m => new("payment-history", 0, "Some late instalments on earlier plans."),
            _ => new("payment-history", -15, "More than 20% of earlier instalments paid late."),
        };
    }

    public static CreditFactor Driving(CreditApplication a, DateTimeOffset asOf, TimeSpan window)
    {
        var recent = a.RiskEvents.Where(e => e.OccurredAt > asOf - window && e.OccurredAt <= asOf).ToList();
        var days = (int)window.TotalDays;
        if (recent.Any(e => e.Kind == RiskEventKind.TamperAlert))
        {
            return new("driving", -20, $"Tracker tampering in the last {days} days.");
        }

        return recent.Count switch
        {
            0 => new("driving", 5, $"No risk events in the last {days} days."),
            <= 3 => new("driving", 0, $"A few risk events in the last {days} days."),
            _ => new("driving", -10, $"More than three risk events in the last {days} days."),
        };
    }
}
