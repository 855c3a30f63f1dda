using ServerlessMobility.RentToOwn.Credit;

namespace ServerlessMobility.RentToOwn.Tests.Credit;

public class CreditScorecardTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CreditScorecard Scorecard = new(new CreditPolicy());

    /// <summary>KYC +10, affordability 15% +20, deposit 10% 0, employment 12 months 0, no history 0, clean driving +5 = 85.</summary>
    private static CreditApplication Good() => new()
    {
        CustomerId = "cust-1",
        KycStatus = KycStatus.Approved,
        MonthlyIncome = 100_000m,
        MonthlyInstalment = 15_000m,
        VehiclePrice = 150_000m,
        Deposit = 15_000m,
        TermMonths = 12,
        MonthsInCurrentOccupation = 12,
    };

    private static CreditFactor Factor(CreditDecision decision, string name) => decision.Factors.Single(f => f.Name == name);

    [Fact]
    public void Assess_GoodApplicant_ApprovedWithExplainedScore()
    {
        var decision = Scorecard.Assess(Good(), Now);

        Assert.Equal(CreditDecisionOutcome.Approved, decision.Outcome);
        Assert.Equal(85, decision.Score);
        Assert.Equal(decision.Score, CreditScorecard.BaseScore + decision.Factors.Sum(f => f.Points));
        Assert.All(decision.Factors, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));
    }

    [Theory]
    [InlineData(KycStatus.Pending)]
    [InlineData(KycStatus.Rejected)]
    [InlineData(KycStatus.NotStarted)]
    public void Assess_KycNotApproved_RejectedWithReason(KycStatus status)
    {
        var decision = Scorecard.Assess(Good() with { KycStatus = status }, Now);

        Assert.Equal(CreditDecisionOutcome.Rejected, decision.Outcome);
        Assert.Contains("Identity verification (KYC) is not approved.", decision.Reasons);
        Assert.Equal(-30, Factor(decision, "kyc").Points);
    }

    [Theory]
    [InlineData(20_000, 20)]
    [InlineData(20_001, 5)]
    [InlineData(35_000, 5)]
    [InlineData(35_001, -15)]
    [InlineData(50_000, -15)]
    [InlineData(50_001, -30)]
    public void Affordability_Boundaries_Points(decimal instalment, int points)
    {
        var factor = CreditScorecard.Affordability(Good() with { MonthlyInstalment = instalment });

        Assert.Equal(points, factor.Points);
    }

    [Fact]
    public void Assess_InstalmentAboveHalfOfIncome_Rejected()
    {
        var decision = Scorecard.Assess(Good() with { MonthlyInstalment = 50_001m }, Now);

        Assert.Equal(CreditDecisionOutcome.Rejected, decision.Outcome);
        Assert.Contains("The instalment is more than half of the declared income.", decision.Reasons);
    }

    [Theory]
    [InlineData(45_000, 10)]
    [InlineData(44_999, 0)]
    [InlineData(15_000, 0)]
    [InlineData(14_999, -10)]
    public void DepositShare_Boundaries_Points(decimal deposit, int points)
    {
        Assert.Equal(points, CreditScorecard.DepositShare(Good() with { Deposit = deposit }).Points);
    }

    [Theory]
    [InlineData(24, 5)]
    [InlineData(23, 0)]
    [InlineData(6, 0)]
    [InlineData(5, -5)]
    public void Employment_Boundaries_Points(int months, int points)
    {
        Assert.Equal(points, CreditScorecard.Employment(Good() with { MonthsInCurrentOccupation = months }).Points);
    }

    [Theory]
    [InlineData(100, 5, 15)]
    [InlineData(100, 6, 0)]
    [InlineData(100, 20, 0)]
    [InlineData(100, 21, -15)]
    public void PaymentHistory_LateShareBoundaries_Points(int due, int late, int points)
    {
        var application = Good() with { PriorPlans = [new PriorPlanRecord("old", due, late, Defaulted: false, PaidOff: true)] };

        Assert.Equal(points, CreditScorecard.PaymentHistory(application).Points);
    }

    [Fact]
    public void Assess_EarlierPlanStillInDefault_RejectedWhateverTheScore()
    {
        var application = Good() with { Deposit = 60_000m, PriorPlans = [new PriorPlanRecord("old", 52, 10, Defaulted: true, PaidOff: false)] };

        var decision = Scorecard.Assess(application, Now);

        Assert.Equal(CreditDecisionOutcome.Rejected, decision.Outcome);
        Assert.Contains("An earlier plan is in default.", decision.Reasons);
    }

    [Fact]
    public void Driving_ManyRecentRiskEvents_Penalised_OldOnesIgnored()
    {
        var recent = Enumerable.Range(1, 4).Select(d => new RiskEvent(RiskEventKind.Speeding, Now.AddDays(-d))).ToList();
        var old = Enumerable.Range(1, 10).Select(d => new RiskEvent(RiskEventKind.Speeding, Now.AddDays(-100 - d))).ToList();
        var window = TimeSpan.FromDays(90);

        Assert.Equal(-10, CreditScorecard.Driving(Good() with { RiskEvents = recent }, Now, window).Points);
        Assert.Equal(0, CreditScorecard.Driving(Good() with { RiskEvents = recent.Take(3).ToList() }, Now, window).Points);
        Assert.Equal(5, CreditScorecard.Driving(Good() with { RiskEvents = old }, Now, window).Points);
    }

    [Fact]
    public void Driving_TamperAlert_HeavyPenalty()
    {
        var factor = CreditScorecard.Driving(Good() with { RiskEvents = [new RiskEvent(RiskEventKind.TamperAlert, Now.AddDays(-1))] }, Now, TimeSpan.FromDays(90));

        Assert.Equal(-20, factor.Points);
    }

    [Fact]
    public void Assess_MiddleScore_ConditionalWithBiggerDepositAndShorterTerm()
    {
        // KYC +10, affordability 40% -15, deposit 5% -10, employment 3 months -5, no history 0, clean +5 = 35? Use 30% instead: +5 -> 55.
        var application = Good() with { MonthlyInstalment = 30_000m, Deposit = 7_500m, MonthsInCurrentOccupation = 3, TermMonths = 24 };

        var decision = Scorecard.Assess(application, Now);

        Assert.Equal(55, decision.Score);
        Assert.Equal(CreditDecisionOutcome.ConditionallyApproved, decision.Outcome);
        Assert.Equal(new CreditConditions(37_500m, 12), decision.Conditions);
        Assert.Contains("Deposit below 10% of the price.", decision.Reasons);
    }

    [Fact]
    public void Assess_LowScore_Rejected()
    {
        var application = Good() with
        {
            MonthlyInstalment = 45_000m,
            Deposit = 0m,
            MonthsInCurrentOccupation = 1,
            RiskEvents = [new RiskEvent(RiskEventKind.TamperAlert, Now.AddDays(-2))],
        };

        var decision = Scorecard.Assess(application, Now);

        Assert.Equal(CreditDecisionOutcome.Rejected, decision.Outcome);
        Assert.True(decision.Score < new CreditPolicy().ConditionalAtOrAbove);
        Assert.Contains("Score below the conditional cut-off.", decision.Reasons);
    }

    [Theory]
    [InlineData(60, CreditDecisionOutcome.Approved)]
    [InlineData(59, CreditDecisionOutcome.ConditionallyApproved)]
    [InlineData(40, CreditDecisionOutcome.ConditionallyApproved)]
    [InlineData(39, CreditDecisionOutcome.Rejected)]
    public void Assess_CutOffBoundaries_Outcome(int cutOffScore, CreditDecisionOutcome expected)
    {
        // Move the cut-offs around the fixed score of Good() (85) to test the boundaries exactly.
        var shift = 85 - cutOffScore;
        var scorecard = new CreditScorecard(new CreditPolicy { ApproveAtOrAbove = 60 + shift, ConditionalAtOrAbove = 40 + shift });

        Assert.Equal(expected, scorecard.Assess(Good(), Now).Outcome);
    }
}
