using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Tests.Domain;

public sealed class OrderTests
{
    [Fact]
    public void Register_TenPercentDeposit_FinalIsTheRest()
    {
        var order = TestData.Order();

        Assert.Equal(OrderStatus.AwaitingDeposit, order.Status);
        Assert.Equal(Money.Of(3751m, "EUR"), order.Deposit);
        Assert.Equal(Money.Of(33759m, "EUR"), order.FinalAmount);
        Assert.Single(order.History);
    }

    [Fact]
    public void ApplyManufacturingStage_DuplicateOrOlder_LeavesOrderUnchanged()
    {
        var order = TestData.Order().MoveTo(OrderStatus.FactoryOrdered, TestData.Now)
            .ApplyManufacturingStage(ManufacturingStage.QualityCheck, TestData.Now);

        Assert.Same(order, order.ApplyManufacturingStage(ManufacturingStage.QualityCheck, TestData.Now));
        Assert.Same(order, order.ApplyManufacturingStage(ManufacturingStage.Accepted, TestData.Now));
        Assert.Equal(ManufacturingStage.QualityCheck, order.ManufacturingStage);
        Assert.Equal(OrderStatus.InManufacturing, order.Status);
    }

    [Fact]
    public void ApplyManufacturingStage_Newer_AppendsHistory()
    {
        var order = TestData.Order().MoveTo(OrderStatus.FactoryOrdered, TestData.Now)
            .ApplyManufacturingStage(ManufacturingStage.Accepted, TestData.Now)
            .ApplyManufacturingStage(ManufacturingStage.Shipped, TestData.Now.AddDays(1));

        Assert.Equal(ManufacturingStage.Shipped, order.ManufacturingStage);
        Assert.Equal("Shipped", order.History[^1].Detail);
    }

    [Fact]
    public void MoveTo_Backwards_BreaksRule()
    {
        var order = TestData.Order().MoveTo(OrderStatus.FactoryOrdered, TestData.Now);

        var ex = Assert.Throws<BusinessRuleException>(() => order.MoveTo(OrderStatus.DepositPaid, TestData.Now));
        Assert.Equal("order-moves-forward", ex.Rule);
    }

    [Fact]
    public void MoveTo_SameStatus_IsNoOp()
    {
        var order = TestData.Order();

        Assert.Same(order, order.MoveTo(OrderStatus.AwaitingDeposit, TestData.Now));
    }

    [Fact]
    public void Cancel_Twice_KeepsFirstReason()
    {
        var order = TestData.Order().Cancel("deposit-timeout", TestData.Now);

        var again = order.Cancel("other", TestData.Now);

        Assert.Equal("deposit-timeout", again.CancellationReason);
        Assert.Throws<BusinessRuleException>(() => order.MoveTo(OrderStatus.DepositPaid, TestData.Now));
    }
}
