using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.CarAsAService.Vehicles;
using ServerlessMobility.CarAsAService.Partners;
using ServerlessMobility.Testing;
using static ServerlessMobility.CarAsAService.Tests.EndToEnd.EndToEndOrders;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.EndToEnd;

/// <summary>
/// The order-to-delivery flow through HTTP only, on the real local durable engine (Azurite) and the Cosmos
/// server: staff register the sale, the test plays the payment provider and the factory by signed webhooks
/// (the simulators do not call back here), and reads the outcome through the API. The factory and the
/// registration office are the local simulators, as on the README's run command.
/// </summary>
public sealed class OrderToDeliveryEndToEndTests(PlatformEmulators emulators)
{
    private const string PaymentsSecret = "e2e-payments-secret";
    private const string FactorySecret = "e2e-factory-secret";
    private const string Tenant = "dealer-e2e";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sale_DepositFactoryWebhooksAndFinalPayment_OrderCompletedVehicleRegisteredInvoiceStored()
    {
        await using var factory = CreateFactory();
        using var staff = await factory.ClientAsync("staff-e2e", Tenant, "dealer-staff");
        using var webhooks = factory.CreateClient();
        await SeedModelAsync(factory.Services, Tenant, "e2e-model");
        const string orderId = "e2e-happy-1";
        const string vin = "WSME2E00000000001";

        using var created = await staff.PostAsJsonAsync("/api/orders", Sale(orderId, "e2e-model", "happy.e2e@example.test"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var statusUri = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("statusQueryGetUri").GetString()!;
        await WaitForOrderAsync(staff, orderId, "AwaitingDeposit");

        Assert.False(await PayAsync(webhooks, orderId, "deposit", "evt-e2e-deposit"));
        Assert.True(await PayAsync(webhooks, orderId, "deposit", "evt-e2e-deposit"), "a repeated webhook is answered as a duplicate");
        await WaitForOrderAsync(staff, orderId, "FactoryOrdered");

        await FactoryAsync(webhooks, orderId, "accepted", "fo-e2e-1");
        await FactoryAsync(webhooks, orderId, "in_production", "fo-e2e-2");
        await FactoryAsync(webhooks, orderId, "accepted", "fo-e2e-late"); // late and out of order: ignored
        await FactoryAsync(webhooks, orderId, "quality_check", "fo-e2e-3");
        await FactoryAsync(webhooks, orderId, "shipped", "fo-e2e-4");
        Assert.True(await FactoryAsync(webhooks, orderId, "shipped", "fo-e2e-4"));
        await FactoryAsync(webhooks, orderId, "ready_for_delivery", "fo-e2e-5", vin);
        await WaitForOrderAsync(staff, orderId, "AwaitingFinalPayment");

        await PayAsync(webhooks, orderId, "final", "evt-e2e-final");
        var order = await WaitForOrderAsync(staff, orderId, "Completed");

        Assert.Equal(vin, order.GetProperty("vin").GetString());
        Assert.False(string.IsNullOrEmpty(order.GetProperty("plateNumber").GetString()));
        Assert.Equal("ReadyForDelivery", order.GetProperty("manufacturingStage").GetString());
        var history = order.GetProperty("history").EnumerateArray().Select(h => $"{h.GetProperty("status").GetString()}:{(h.TryGetProperty("detail", out var d) ? d.GetString() : null)}").ToList();
        // Each stage once and in order: the duplicated "shipped" and the late "accepted" changed nothing.
        Assert.Equal(
            ["AwaitingDeposit:", "DepositPaid:", "FactoryOrdered:", "InManufacturing:Accepted", "InManufacturing:InProduction", "InManufacturing:QualityCheck",
             "InManufacturing:Shipped", "InManufacturing:ReadyForDelivery", "AwaitingFinalPayment:", "FullyPaid:", $"Registered:{order.GetProperty("plateNumber").GetString()}", "Completed:"],
            history);
        var invoices = order.GetProperty("invoiceBlobs").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(invoices, p => p.EndsWith(".json", StringComparison.Ordinal));
        var documents = factory.Services.GetRequiredService<IDocumentStore>();
        foreach (var invoice in invoices)
        {
            Assert.NotEmpty(await documents.GetAsync(invoice, Ct) ?? []);
        }

        // The PDF invoice, in the customer's language (Spain: Spanish), downloaded through a short-lived signed link.
        var invoiceDocument = order.GetProperty("invoiceDocumentId").GetString()!;
        var owner = order.GetProperty("customerId").GetString()!;
        using (var buyer = await factory.ClientAsync(owner, Tenant, "customer"))
        {
            using var linkResponse = await buyer.PostAsync($"/api/documents/{invoiceDocument}/links", null, Ct);
            Assert.Equal(HttpStatusCode.OK, linkResponse.StatusCode);
            var link = await linkResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var url = new Uri(link.GetProperty("url").GetString()!);
            using var anonymous = factory.CreateClient();
            var pdf = await anonymous.GetByteArrayAsync(url.PathAndQuery, Ct);
            var text = PdfText.Of(pdf);
            Assert.Contains("Factura INV-e2e-happy-1", text, StringComparison.Ordinal);
            Assert.Contains("Cliente", text, StringComparison.Ordinal);
            Assert.Contains("E2E Customer", text, StringComparison.Ordinal);
            Assert.Contains("IVA", text, StringComparison.Ordinal);
            Assert.Equal(link.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)));

            using var tampered = await anonymous.GetAsync(url.PathAndQuery.Replace("&v=1&", "&v=2&", StringComparison.Ordinal), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        }

        using (var stranger = await factory.ClientAsync("someone-else", Tenant, "customer"))
        {
            using var refused = await stranger.PostAsync($"/api/documents/{invoiceDocument}/links", null, Ct);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        // The invoice e-mail, with the PDF attached, reached the customer through the real SMTP server.
        var mail = await Eventually.UntilAsync(() => emulators.Maildev.MailToAsync("happy.e2e@example.test", Ct),
            m => m.Any(x => x.Subject.StartsWith("Factura", StringComparison.Ordinal)), "the invoice e-mail");
        var invoiceMail = Assert.Single(mail, m => m.Subject.StartsWith("Factura", StringComparison.Ordinal));
        Assert.Equal("Factura INV-e2e-happy-1 del pedido e2e-happy-1", invoiceMail.Subject);
        Assert.Contains("Adjuntamos la factura INV-e2e-happy-1", invoiceMail.Text, StringComparison.Ordinal);
        var attachment = Assert.Single(invoiceMail.Attachments!);
        Assert.Equal("invoice-e2e-happy-1.pdf", attachment.FileName);
        Assert.Contains("Factura INV-e2e-happy-1", PdfText.Of(await emulators.Maildev.AttachmentAsync(invoiceMail.Id, attachment.GeneratedFileName, Ct)), StringComparison.Ordinal);

        var customerId = order.GetProperty("customerId").GetString()!;
        using var customer = await factory.ClientAsync(customerId, Tenant, "customer");
        var record = await customer.GetFromJsonAsync<JsonElement>($"/api/customers/{customerId}/purchase-record", Ct);
        Assert.Equal("Completed", record.GetProperty("orders")[0].GetProperty("status").GetString());
        var vehicle = Assert.Single(record.GetProperty("vehicles").EnumerateArray());
        Assert.Equal(vin, vehicle.GetProperty("vin").GetString());
        Assert.Contains(vehicle.GetProperty("status").GetString(), new[] { "Registered", "Delivered" });

        // The buyer owns the connected vehicle: its telemetry and feature routes answer them, not a stranger.
        var connected = await factory.Services.GetRequiredService<ServerlessMobility.Platform.Vehicles.IVehicleRegistry>().GetAsync(vin, Ct);
        Assert.Equal(new { Tenant, Owner = customerId, Model = (string?)"e2e-model" }, new { Tenant = connected!.TenantId, Owner = connected.OwnerSubject!, connected.Model });
        var payments = record.GetProperty("payments").EnumerateArray().ToList();
        Assert.Equal(2, payments.Count(p => p.GetProperty("status").GetString() == "Succeeded"));
        var kinds = record.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Contains("invoice", kinds);
        Assert.Contains("registration", kinds);
        Assert.Contains("manual", kinds);

        // The status URI handed out with the order is the tenant's instance, readable by its staff once finished.
        Assert.Equal($"/api/workflows/{Tenant}:order:{orderId}", Uri.UnescapeDataString(new Uri(statusUri).AbsolutePath));
        using var status = await staff.GetAsync(new Uri(statusUri), Ct);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var instance = await status.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Completed", instance.GetProperty("runtimeStatus").GetString());
        Assert.Equal(order.GetProperty("plateNumber").GetString(), instance.GetProperty("output").GetProperty("plateNumber").GetString());
    }

    [Fact]
    public async Task FactoryRejection_OrderCancelledAndDepositRefunded()
    {
        await using var factory = CreateFactory(f => f.Settings["CarAsAService:Simulators:RejectedModels:0"] = "e2e-discontinued");
        using var staff = await factory.ClientAsync("staff-e2e", Tenant, "dealer-staff");
        using var webhooks = factory.CreateClient();
        await SeedModelAsync(factory.Services, Tenant, "e2e-discontinued");
        const string orderId = "e2e-rejected-1";

        using var created = await staff.PostAsJsonAsync("/api/orders", Sale(orderId, "e2e-discontinued", "rejected.e2e@example.test"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await WaitForOrderAsync(staff, orderId, "AwaitingDeposit");
        await PayAsync(webhooks, orderId, "deposit", "evt-e2e-rejected-deposit");
        var order = await WaitForOrderAsync(staff, orderId, "Cancelled");

        Assert.Contains("factory-rejected", order.GetProperty("cancellationReason").GetString(), StringComparison.Ordinal);
        var customerId = order.GetProperty("customerId").GetString()!;
        var record = await staff.GetFromJsonAsync<JsonElement>($"/api/customers/{customerId}/purchase-record", Ct);
        var deposit = Assert.Single(record.GetProperty("payments").EnumerateArray());
        Assert.Equal("Refunded", deposit.GetProperty("status").GetString());
        Assert.Empty(record.GetProperty("vehicles").EnumerateArray());
    }

    [Fact]
    public async Task FinalPaymentTimeout_OrderCancelledAndVehicleBackInStock()
    {
        await using var factory = CreateFactory(f =>
        {
            f.Settings["CarAsAService:Workflow:FinalPaymentTimeout"] = "00:00:04";
            f.Settings["CarAsAService:Workflow:FinalPaymentReminderInterval"] = "00:00:01";
        });
        using var staff = await factory.ClientAsync("staff-e2e", Tenant, "dealer-staff");
        using var webhooks = factory.CreateClient();
        await SeedModelAsync(factory.Services, Tenant, "e2e-model");
        const string orderId = "e2e-unpaid-1";
        const string vin = "WSME2E00000000002";

        using var created = await staff.PostAsJsonAsync("/api/orders", Sale(orderId, "e2e-model", "unpaid.e2e@example.test"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await WaitForOrderAsync(staff, orderId, "AwaitingDeposit");
        await PayAsync(webhooks, orderId, "deposit", "evt-e2e-unpaid-deposit");
        await WaitForOrderAsync(staff, orderId, "FactoryOrdered");
        await FactoryAsync(webhooks, orderId, "ready_for_delivery", "fo-e2e-unpaid", vin);
        var order = await WaitForOrderAsync(staff, orderId, "Cancelled");

        Assert.Equal("final-payment-timeout", order.GetProperty("cancellationReason").GetString());
        var stock = await factory.Services.GetRequiredService<ITenantRepository<Vehicle>>().GetAsync(Tenant, vin, Ct);
        Assert.NotNull(stock);
        Assert.Equal(StockStatus.Unassigned, stock.Value.Status);
        Assert.Null(stock.Value.CustomerId);
        Assert.Null(stock.Value.ReservedForOrderId);

        // The deposit goes back (the default policy) and the customer was reminded while the deadline ran.
        var record = await staff.GetFromJsonAsync<JsonElement>($"/api/customers/{order.GetProperty("customerId").GetString()}/purchase-record", Ct);
        Assert.Equal(["Refunded"], record.GetProperty("payments").EnumerateArray()
            .Where(p => p.GetProperty("purpose").GetString() == "Deposit").Select(p => p.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task LateFinalPayment_ForACancelledOrder_RefundedExactlyOnceEvenWhenDeliveredTwiceAndConcurrently()
    {
        await using var factory = CreateFactory(f =>
        {
            f.Settings["CarAsAService:Workflow:FinalPaymentTimeout"] = "00:00:02";
            f.Settings["CarAsAService:Workflow:FinalPaymentReminderInterval"] = "00:00:01";
            f.Settings["CarAsAService:Workflow:DepositPolicyOnFinalPaymentFailure"] = "Retain";
        });
        using var staff = await factory.ClientAsync("staff-e2e", Tenant, "dealer-staff");
        using var webhooks = factory.CreateClient();
        await SeedModelAsync(factory.Services, Tenant, "e2e-model");
        var orderId = "e2e-late-" + Guid.NewGuid().ToString("N")[..8];

        using var created = await staff.PostAsJsonAsync("/api/orders", Sale(orderId, "e2e-model", $"{orderId}@example.test"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await WaitForOrderAsync(staff, orderId, "AwaitingDeposit");
        await PayAsync(webhooks, orderId, "deposit", $"evt-{orderId}-deposit");
        await WaitForOrderAsync(staff, orderId, "FactoryOrdered");
        await FactoryAsync(webhooks, orderId, "ready_for_delivery", $"fo-{orderId}", "WSME2E00000000003");
        var cancelled = await WaitForOrderAsync(staff, orderId, "Cancelled");
        Assert.Equal("final-payment-timeout", cancelled.GetProperty("cancellationReason").GetString());

        // The customer paid after the deadline: the provider reports it, then again (a redelivery), then three
        // more notices of the same payment under new event ids, all at once.
        var late = new { eventId = $"evt-{orderId}-final", type = "payment.succeeded", paymentId = $"pay-{orderId}-final", tenantId = Tenant, orderId, purpose = "final" };
        var first = await SendPaymentWebhookAsync(webhooks, late);
        var redelivered = await SendPaymentWebhookAsync(webhooks, late);
        var concurrent = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => SendPaymentWebhookAsync(webhooks, late with { eventId = $"{late.eventId}-{i}" })));

        Assert.Equal(("refunded", false), (first.GetProperty("outcome").GetString(), first.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(("refunded", true), (redelivered.GetProperty("outcome").GetString(), redelivered.GetProperty("duplicate").GetBoolean()));
        Assert.All(concurrent, c => Assert.Equal("refunded", c.GetProperty("outcome").GetString()));
        var refund = Assert.Single(factory.Services.GetRequiredService<SimulatedPaymentProvider>().Refunds);
        Assert.Equal(late.paymentId, refund.PaymentId);
        Assert.Equal(cancelled.GetProperty("finalAmount").GetProperty("amount").GetDecimal(), refund.Amount.Amount);
        Assert.Equal(cancelled.GetProperty("finalAmount").GetProperty("currency").GetString(), refund.Amount.Currency);
        var record = await factory.Services.GetRequiredService<ITenantRepository<LatePayment>>().GetAsync(Tenant, LatePayments.RecordIdFor(late.paymentId), Ct);
        Assert.Equal(LatePaymentState.Refunded, record!.Value.State);
    }

    [Fact]
    public async Task PaymentForAnUnknownOrder_WithoutAnAmount_OperatorTaskOpenedOnceVisibleToTheTenantsOperatorsOnly()
    {
        await using var factory = CreateFactory();
        using var webhooks = factory.CreateClient();
        var orderId = "e2e-nobody-" + Guid.NewGuid().ToString("N")[..8];
        var body = new { eventId = $"evt-{orderId}", type = "payment.succeeded", paymentId = $"pay-{orderId}", tenantId = Tenant, orderId, purpose = "deposit" };

        var answers = await Task.WhenAll(SendPaymentWebhookAsync(webhooks, body), SendPaymentWebhookAsync(webhooks, body with { eventId = body.eventId + "-again" }));

        Assert.All(answers, a => Assert.Equal("operatorTaskOpened", a.GetProperty("outcome").GetString()));
        Assert.Empty(factory.Services.GetRequiredService<SimulatedPaymentProvider>().Refunds);
        using var operatorClient = await factory.ClientAsync("ops-e2e", Tenant, "operator");
        var tasks = (await operatorClient.GetFromJsonAsync<JsonElement>("/api/operator-tasks?status=Open", Ct)).EnumerateArray()
            .Where(t => t.GetProperty("subject").GetString() == $"order:{orderId}").ToList();
        var task = Assert.Single(tasks);
        Assert.Equal(("refund-late-payment", body.paymentId), (task.GetProperty("kind").GetString(), task.GetProperty("providerReference").GetString()));
        using var customer = await factory.ClientAsync("someone", Tenant, "customer");
        using var forbidden = await customer.GetAsync("/api/operator-tasks", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static Task<JsonElement> SendPaymentWebhookAsync(HttpClient client, object body) =>
        SendWebhookAsync(client, "/api/webhooks/payments", PaymentsSecret, body);

    private LocalHostFactory CreateFactory(Action<LocalHostFactory>? configure = null)
    {
        var factory = NewFactory(emulators, PaymentsSecret, FactorySecret);
        configure?.Invoke(factory);
        return factory;
    }

    /// <summary>Sends a signed payment webhook; true when the platform answered it as a duplicate.</summary>
    private static async Task<bool> PayAsync(HttpClient client, string orderId, string purpose, string eventId) =>
        (await SendPaymentWebhookAsync(client, new { eventId, type = "payment.succeeded", paymentId = "pay-" + eventId, tenantId = Tenant, orderId, purpose })).GetProperty("duplicate").GetBoolean();

    /// <summary>The factory echoes the tenant we sent with the order (order ids are unique only within a dealership).</summary>
    private static async Task<bool> FactoryAsync(HttpClient client, string orderId, string status, string eventId, string? vin = null) =>
        (await SendWebhookAsync(client, "/api/webhooks/factory", FactorySecret, new { eventId, tenantId = Tenant, orderId, status, vin })).GetProperty("duplicate").GetBoolean();
}
