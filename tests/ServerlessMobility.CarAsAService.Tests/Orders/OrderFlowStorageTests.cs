using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using ServerlessMobility.CarAsAService.Tests.Http;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.CarAsAService.Vehicles;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.Orders;

/// <summary>
/// The order activities on the real Cosmos server and Azurite, called as the engine calls them: each from
/// its own scope, and each at least once, so running one twice must change nothing the second time.
/// </summary>
public sealed class OrderFlowStorageTests(CaasHost host) : IClassFixture<CaasHost>
{
    private const string Tenant = "dealer-flow";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An order written straight to storage (no workflow runs for it), with its customer.</summary>
    private async Task<Order> SeedOrderAsync()
    {
        var orderId = "o-" + Guid.NewGuid().ToString("N")[..12];
        var customer = TestData.Customer(Tenant, "c-" + orderId);
        await host.Get<ITenantRepository<Customer>>().CreateAsync(Tenant, customer.Id, customer, Ct);
        var order = TestData.Order(Tenant, orderId, customer.Id);
        await host.Get<ITenantRepository<Order>>().CreateAsync(Tenant, orderId, order, Ct);
        return order;
    }

    private async Task<TOutput> RunActivityAsync<TActivity, TInput, TOutput>(TInput input)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        using var scope = host.Services.CreateScope();
        var activity = scope.ServiceProvider.GetRequiredService<TActivity>();
        return await activity.RunAsync(Mock.Of<TaskActivityContext>(), input);
    }

    private Task<Order> OrderAsync(string orderId) => host.Get<ITenantRepository<Order>>().GetRequiredAsync(Tenant, orderId, Ct);

    [Fact]
    public async Task CreatePaymentIntent_RunTwice_OneIntentOnePaymentAndTheOrderLinksIt()
    {
        var order = await SeedOrderAsync();
        var input = new PaymentRequestInput(new OrderRef(Tenant, order.Id), PaymentPurpose.Deposit);

        var first = await RunActivityAsync<CreatePaymentIntentActivity, PaymentRequestInput, PaymentIntent>(input);
        var second = await RunActivityAsync<CreatePaymentIntentActivity, PaymentRequestInput, PaymentIntent>(input);

        Assert.Equal(first, second);
        var payment = (await host.Get<ITenantRepository<Payment>>().GetAsync(Tenant, PaymentIds.For(order.Id, PaymentPurpose.Deposit), Ct))!.Value;
        Assert.Equal((first.ProviderPaymentId, PaymentStatus.Pending, order.Deposit), (payment.ProviderPaymentId, payment.Status, payment.Amount));
        Assert.Equal(payment.Id, (await OrderAsync(order.Id)).DepositPaymentId);
    }

    [Fact]
    public async Task ApplyManufacturingStatus_RunTwice_StageRecordedOnce_ReadyReservesTheVehicle()
    {
        var order = await SeedOrderAsync();
        var vin = "VIN" + order.Id;
        var accepted = new ManufacturingStatusInput(new OrderRef(Tenant, order.Id), new FactoryStatusEvent("e1", ManufacturingStage.Accepted));
        var ready = new ManufacturingStatusInput(new OrderRef(Tenant, order.Id), new FactoryStatusEvent("e2", ManufacturingStage.ReadyForDelivery, vin));

        await RunActivityAsync<ApplyManufacturingStatusActivity, ManufacturingStatusInput, ServerlessMobility.Platform.Workflows.Unit>(accepted);
        var afterOnce = await OrderAsync(order.Id);
        await RunActivityAsync<ApplyManufacturingStatusActivity, ManufacturingStatusInput, ServerlessMobility.Platform.Workflows.Unit>(accepted);
        await RunActivityAsync<ApplyManufacturingStatusActivity, ManufacturingStatusInput, ServerlessMobility.Platform.Workflows.Unit>(ready);
        await RunActivityAsync<ApplyManufacturingStatusActivity, ManufacturingStatusInput, ServerlessMobility.Platform.Workflows.Unit>(ready);

        var afterTwice = await OrderAsync(order.Id);
        Assert.Equal(afterOnce.History.Count + 1, afterTwice.History.Count); // only the ready stage was added
        Assert.Equal((ManufacturingStage.ReadyForDelivery, vin), (afterTwice.ManufacturingStage, afterTwice.Vin));
        var vehicle = (await host.Get<ITenantRepository<Vehicle>>().GetAsync(Tenant, vin, Ct))!.Value;
        Assert.Equal((StockStatus.Unassigned, order.Id), (vehicle.Status, vehicle.ReservedForOrderId));
    }

    [Fact]
    public async Task RefundPayment_OnlyASucceededPayment_RefundedOnceEvenWhenRepeated()
    {
        var order = await SeedOrderAsync();
        var orderRef = new OrderRef(Tenant, order.Id);
        var deposit = new PaymentRequestInput(orderRef, PaymentPurpose.Deposit);
        var payments = host.Get<ITenantRepository<Payment>>();
        await RunActivityAsync<CreatePaymentIntentActivity, PaymentRequestInput, PaymentIntent>(deposit);

        await RunActivityAsync<RefundPaymentActivity, PaymentRequestInput, ServerlessMobility.Platform.Workflows.Unit>(deposit);
        var pendingAfterRefund = (await payments.GetAsync(Tenant, PaymentIds.For(order.Id, PaymentPurpose.Deposit), Ct))!.Value.Status;
        await RunActivityAsync<RecordPaymentOutcomeActivity, PaymentOutcomeInput, ServerlessMobility.Platform.Workflows.Unit>(new PaymentOutcomeInput(orderRef, PaymentPurpose.Deposit, new PaymentOutcome("pi", true)));
        await RunActivityAsync<RefundPaymentActivity, PaymentRequestInput, ServerlessMobility.Platform.Workflows.Unit>(deposit);
        await RunActivityAsync<RefundPaymentActivity, PaymentRequestInput, ServerlessMobility.Platform.Workflows.Unit>(deposit);

        Assert.Equal(PaymentStatus.Pending, pendingAfterRefund); // nothing was paid, nothing to give back
        Assert.Equal(PaymentStatus.Refunded, (await payments.GetAsync(Tenant, PaymentIds.For(order.Id, PaymentPurpose.Deposit), Ct))!.Value.Status);
        Assert.Equal(OrderStatus.DepositPaid, (await OrderAsync(order.Id)).Status);
    }
}
