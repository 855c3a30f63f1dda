using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.RentToOwn.Tests.Plans;

/// <summary>Which instalments a receipt names: payments go to the oldest unpaid instalment first, in booking order.</summary>
public class PlanReceiptsTests
{
    private static PaymentPlan FourInstalments() =>
        new PlanBuilder().With(t => t with { VehiclePrice = 4_000m, Deposit = 0m, FinanceChargeRate = 0m, NumberOfInstalments = 4 }).Build();

    [Fact]
    public void InstalmentsCovered_ExactInstalments_EachPaymentItsOwn()
    {
        var plan = FourInstalments();
        plan.ApplyPayment("p1", 1_000m, PlanBuilder.Start);
        plan.ApplyPayment("p2", 1_000m, PlanBuilder.Start);

        Assert.Equal([1], PlanReceipts.InstalmentsCovered(plan, 0));
        Assert.Equal([2], PlanReceipts.InstalmentsCovered(plan, 1));
    }

    [Fact]
    public void InstalmentsCovered_PartialThenLarger_SharedInstalmentNamedByBoth()
    {
        var plan = FourInstalments();
        plan.ApplyPayment("p1", 500m, PlanBuilder.Start);
        plan.ApplyPayment("p2", 2_000m, PlanBuilder.Start);

        Assert.Equal([1], PlanReceipts.InstalmentsCovered(plan, 0));
        Assert.Equal([1, 2, 3], PlanReceipts.InstalmentsCovered(plan, 1));
        Assert.Equal("1-3", PlanReceipts.Describe(PlanReceipts.InstalmentsCovered(plan, 1)));
    }

    [Fact]
    public void InstalmentsCovered_PaymentOutsideThePlan_Refused()
    {
        var plan = FourInstalments();
        plan.ApplyPayment("p1", 1_000m, PlanBuilder.Start);

        Assert.Throws<ArgumentOutOfRangeException>(() => PlanReceipts.InstalmentsCovered(plan, 1));
    }
}
