using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Tests.Http;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Orders;
using ServerlessMobility.Core.CarAsAService.Payments;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Core.CarAsAService.Vehicles;
using ServerlessMobility.Core.Security;

namespace ServerlessMobility.CarAsAService.Tests.Orders;

/// <summary>The workflow with the real activities on the real Cosmos server and Azurite, driven by a script.</summary>
public sealed class OrderFlowStorageTests(CaasHost host) : IClassFixture<CaasHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Staff, string OrderId, string CustomerId)> RegisterSaleAsync()
    {
        await host.SeedModelAsync("dealer-flow");
        var staff = await host.ClientAsync("staff-1", "dealer-flow", PlatformRoles.DealerStaff);
        var orderId = "o-" + Guid.NewGuid().ToString("N")[..12];
        using var created = await staff.PostAsJsonAsync("/api/orders", new
        {
            orderId,
            customer = new { name = "Ana García", email = $"{orderId}@example.test" },
            modelId = "aurora-s",
            packs = new[] { "winter" },
            country = "ES",
        }, Ct);
        created.EnsureSuccessStatusCode();
        var customerId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("order").GetProperty("customerId").GetString()!;
        return (staff, orderId, customerId);
    }

    private Task<OrderToDeliveryResult> RunAsync(ScriptedWorkflowContext context, string orderId) =>
        host.Services.GetRequiredService<OrderToDeliveryWorkflow>().RunAsync(context, new OrderRef("dealer-flow", orderId));

    [Fact]
    public async Task Run_AllEventsArrive_OrderCompletedVehicleRegisteredInvoiceStoredRecordComplete()
    {
        var (staff, orderId, customerId) = await RegisterSaleAsync();
        using var _ = staff;
        var context = new ScriptedWorkflowContext(host.Services, orderId, host.Time.GetUtcNow())
            .Then(OrderToDeliveryWorkflow.DepositPaymentEvent, new PaymentOutcome("pi_d", true))
            .Then(OrderToDeliveryWorkflow.ManufacturingStatusEvent, new FactoryStatusEvent("e1", ManufacturingStage.Accepted))
            .Then(OrderToDeliveryWorkflow.ManufacturingStatusEvent, new FactoryStatusEvent("e2", ManufacturingStage.Shipped))
            .Then(OrderToDeliveryWorkflow.ManufacturingStatusEvent, new FactoryStatusEvent("e3", ManufacturingStage.ReadyForDelivery, $"VIN{orderId}"))
            .Then(OrderToDeliveryWorkflow.FinalPaymentEvent, new PaymentOutcome("pi_f", true));

        var result = await RunAsync(context, orderId);

        Assert.Equal(OrderStatus.Completed, result.Status);
        var order = await staff.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}", CaasHost.Json, Ct);
        Assert.Equal("Completed", order.GetProperty("status").GetString());
        Assert.Equal(result.PlateNumber, order.GetProperty("plateNumber").GetString());
        var vehicle = (await host.Get<ITenantRepository<Vehicle>>().GetAsync("dealer-flow", $"VIN{orderId}", Ct))!.Value;
        Assert.Equal(StockStatus.Registered, vehicle.Status);
        Assert.Equal(customerId, vehicle.CustomerId);
        var invoice = await host.Get<IDocumentStore>().GetAsync($"dealer-flow/orders/{orderId}/invoice.html", Ct);
        Assert.NotNull(invoice);
        Assert.Contains("INV-" + orderId, System.Text.Encoding.UTF8.GetString(invoice), StringComparison.Ordinal);
        var record = await staff.GetFromJsonAsync<JsonElement>($"/api/customers/{customerId}/purchase-record", Ct);
        var kinds = record.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["invoice", "invoice", "registration", "manual"], kinds);
        Assert.Equal(2, record.GetProperty("payments").EnumerateArray().Count(p => p.GetProperty("status").GetString() == "Succeeded"));
    }

    [Fact]
    public async Task Run_FinalPaymentNeverArrives_VehicleBackInStockDepositRefundedOrderCancelled()
    {
        var (staff, orderId, _) = await RegisterSaleAsync();
        using var __ = staff;
        var context = new ScriptedWorkflowContext(host.Services, orderId, host.Time.GetUtcNow())
            .Then(OrderToDeliveryWorkflow.DepositPaymentEvent, new PaymentOutcome("pi_d", true))
            .Then(OrderToDeliveryWorkflow.ManufacturingStatusEvent, new FactoryStatusEvent("e3", ManufacturingStage.ReadyForDelivery, $"VIN{orderId}"));

        var result = await RunAsync(context, orderId);

        Assert.Equal(OrderToDeliveryWorkflow.Reasons.FinalPaymentTimeout, result.Reason);
        var vehicle = (await host.Get<ITenantRepository<Vehicle>>().GetAsync("dealer-flow", $"VIN{orderId}", Ct))!.Value;
        Assert.Equal(StockStatus.Unassigned, vehicle.Status);
        Assert.Null(vehicle.ReservedForOrderId);
        var deposit = (await host.Get<ITenantRepository<Payment>>().GetAsync("dealer-flow", PaymentIds.For(orderId, PaymentPurpose.Deposit), Ct))!.Value;
        Assert.Equal(PaymentStatus.Refunded, deposit.Status);
        var order = (await host.Get<ITenantRepository<Order>>().GetAsync("dealer-flow", orderId, Ct))!.Value;
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(OrderToDeliveryWorkflow.Reasons.FinalPaymentTimeout, order.CancellationReason);
    }

    [Fact]
    public async Task Activities_RunTwice_SameOutcome()
    {
        var (staff, orderId, _) = await RegisterSaleAsync();
        using var __ = staff;
        var context = new ScriptedWorkflowContext(host.Services, orderId, host.Time.GetUtcNow());
        var input = new PaymentRequestInput(new OrderRef("dealer-flow", orderId), PaymentPurpose.Deposit);

        var first = await context.CallActivityAsync<PaymentIntent>(CaasActivities.CreatePaymentIntent, input);
        var second = await context.CallActivityAsync<PaymentIntent>(CaasActivities.CreatePaymentIntent, input);
        var status = new ManufacturingStatusInput(new OrderRef("dealer-flow", orderId), new FactoryStatusEvent("e", ManufacturingStage.Accepted));
        await context.CallActivityAsync<Unit>(CaasActivities.ApplyManufacturingStatus, status);
        var afterOnce = (await host.Get<ITenantRepository<Order>>().GetAsync("dealer-flow", orderId, Ct))!.Value;
        await context.CallActivityAsync<Unit>(CaasActivities.ApplyManufacturingStatus, status);
        var afterTwice = (await host.Get<ITenantRepository<Order>>().GetAsync("dealer-flow", orderId, Ct))!.Value;

        Assert.Equal(first, second);
        Assert.Equal(afterOnce.History.Count, afterTwice.History.Count);
    }
}
