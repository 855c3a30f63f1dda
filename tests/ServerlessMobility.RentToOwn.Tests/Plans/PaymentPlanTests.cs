using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.RentToOwn.Tests.Plans;

public class PaymentPlanTests
{
    private static readonly PaymentPlan Template = new PlanBuilder().Build();
    private static readonly DateTimeOffset FirstDue = Template.Schedule[0].DueDate;

    [Fact]
    public void Arrears_BeforeFirstDueDate_Zero()
    {
        var plan = new PlanBuilder().Build();

        Assert.Equal(0m, plan.Arrears(FirstDue.AddTicks(-1)));
    }

    [Fact]
    public void Arrears_TwoInstalmentsDueOnePaid_EqualsSecond()
    {
        var plan = new PlanBuilder().Build();
        plan.ApplyPayment("p1", 3_115.38m, FirstDue);

        Assert.Equal(3_115.38m, plan.Arrears(FirstDue.AddDays(7)));
    }

    [Fact]
    public void ApplyPayment_Partial_ReducesArrearsAndMarksPartiallyPaid()
    {
        var plan = new PlanBuilder().Build();

        plan.ApplyPayment("p1", 1_000m, FirstDue.AddDays(-1));

        Assert.Equal(2_115.38m, plan.Arrears(FirstDue));
        var first = plan.Positions(FirstDue.AddDays(-1))[0];
        Assert.Equal((1_000m, InstalmentState.PartiallyPaid), (first.Paid, first.State));
        Assert.Equal(InstalmentState.Overdue, plan.Positions(FirstDue)[0].State);
    }

    [Fact]
    public void ApplyPayment_SameProviderReferenceTwice_CountedOnce()
    {
        var plan = new PlanBuilder().Build();

        var first = plan.ApplyPayment("mpesa-123", 3_115.38m, FirstDue);
        var second = plan.ApplyPayment("mpesa-123", 3_115.38m, FirstDue);

        Assert.Equal(PaymentApplication.Applied, first);
        Assert.Equal(PaymentApplication.Duplicate, second);
        Assert.Equal(3_115.38m, plan.TotalPaid);
    }

    [Fact]
    public void ApplyPayment_MoreThanOutstanding_Throws422()
    {
        var plan = new PlanBuilder().Build();

        var error = Assert.Throws<BusinessRuleException>(() => plan.ApplyPayment("p1", 162_000.01m, FirstDue));

        Assert.Equal("payment-exceeds-balance", error.Rule);
        Assert.Empty(plan.Payments);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.001)]
    public void ApplyPayment_InvalidAmount_Throws422(decimal amount)
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<BusinessRuleException>(() => plan.ApplyPayment("p1", amount, FirstDue));
    }

    [Fact]
    public void ApplyPayment_EarlyPayoff_TransfersOwnership()
    {
        var plan = new PlanBuilder().Build();
        plan.ApplyPayment("p1", 3_115.38m, FirstDue);
        var at = FirstDue.AddDays(3);

        plan.ApplyPayment("payoff", plan.Outstanding, at);

        Assert.Equal(PlanStatus.OwnershipTransferred, plan.Status);
        Assert.Equal(at, plan.OwnershipTransferredAt);
        Assert.Null(plan.NextUnpaid());
        Assert.Throws<BusinessRuleException>(() => plan.ApplyPayment("after", 1m, at));
    }

    [Fact]
    public void ApplyPayment_EveryInstalmentOnTime_TransfersOwnershipWithTheLast()
    {
        var plan = new PlanBuilder().Build();

        foreach (var instalment in plan.Schedule)
        {
            Assert.Equal(PlanStatus.Active, plan.Status);
            plan.ApplyPayment($"p{instalment.Number}", instalment.Amount, instalment.DueDate);
        }

        Assert.Equal(PlanStatus.OwnershipTransferred, plan.Status);
        Assert.Equal(plan.Schedule[^1].DueDate, plan.OwnershipTransferredAt);
        Assert.Equal(0m, plan.Outstanding);
    }

    [Fact]
    public void MarkDefaulted_ThenArrearsPaid_BackToActive()
    {
        var plan = new PlanBuilder().Build();
        var at = FirstDue.AddDays(8);
        plan.MarkDefaulted(at);
        Assert.Equal(PlanStatus.Defaulted, plan.Status);

        plan.ApplyPayment("arrears", plan.Arrears(at), at);

        Assert.Equal(PlanStatus.Active, plan.Status);
        Assert.Null(plan.DefaultedAt);
    }

    [Fact]
    public void MarkDefaulted_NoArrears_Throws422()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<BusinessRuleException>(() => plan.MarkDefaulted(FirstDue.AddDays(-1)));
    }

    [Fact]
    public void Statement_RunningBalanceIsDueMinusPaid()
    {
        var plan = new PlanBuilder().Build();
        plan.ApplyPayment("p1", 3_115.38m, FirstDue);
        plan.ApplyPayment("p2", 1_000m, FirstDue.AddDays(7));
        var asOf = FirstDue.AddDays(8);

        var statement = plan.Statement(asOf);

        Assert.Equal(2_115.38m, statement.Lines[^1].Balance);
        Assert.Equal(statement.Arrears, statement.Lines[^1].Balance);
        Assert.Equal(4_115.38m, statement.Paid);
        Assert.Equal(162_000m - 4_115.38m, statement.Outstanding);
        Assert.Equal(["Deposit received", "Instalment 1 due", "Payment p1", "Instalment 2 due", "Payment p2"], statement.Lines.Select(l => l.Description));
    }

    [Fact]
    public void Summarize_InArrears_ReportsOverdueSinceAndNextInstalment()
    {
        var plan = new PlanBuilder().Build();

        var summary = plan.Summarize(FirstDue.AddDays(1));

        Assert.Equal(3_115.38m, summary.Arrears);
        Assert.Equal(FirstDue, summary.OverdueSince);
        Assert.Equal(1, summary.NextInstalment!.Number);
        Assert.Equal(162_000m, summary.Outstanding);
    }
}
