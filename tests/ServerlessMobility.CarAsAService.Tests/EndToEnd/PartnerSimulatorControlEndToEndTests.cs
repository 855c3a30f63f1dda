using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Partners;
using ServerlessMobility.Testing;
using static ServerlessMobility.CarAsAService.Tests.EndToEnd.EndToEndOrders;

namespace ServerlessMobility.CarAsAService.Tests.EndToEnd;

/// <summary>
/// The Development-only simulator control API (<c>/api/dev/simulators</c>) driving the order-to-delivery flow
/// through HTTP only, on the real durable engine (Azurite) and the Cosmos server. The simulators send their
/// signed webhooks automatically, as on the run command; here they reach the in-process host.
/// </summary>
public sealed class PartnerSimulatorControlEndToEndTests(PlatformEmulators emulators)
{
    private const string PaymentsSecret = "sim-payments-secret";
    private const string FactorySecret = "sim-factory-secret";

    private const string Model = "sim-model";
    private const string Customer = "Simulated Customer";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PaymentProviderScriptedToDecline_DepositWebhookIsAFailure_OrderCancelled()
    {
        const string tenant = "sim-decline";
        await using var factory = CreateFactory();
        using var staff = await factory.ClientAsync("staff-sim", tenant, "dealer-staff");
        using var operatorClient = await factory.ClientAsync("op-sim", tenant, "operator");
        await SeedModelAsync(factory.Services, tenant, Model);

        using var scripted = await operatorClient.PutAsJsonAsync("/api/dev/simulators/payment-provider/scripts/sim-declined-1",
            new { outcomes = new[] { new { outcome = "decline", code = "insufficient-funds" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, scripted.StatusCode);
        using var created = await staff.PostAsJsonAsync("/api/orders", Sale("sim-declined-1", Model, "declined.sim@example.test", Customer), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await WaitForOrderAsync(staff, "sim-declined-1", "Cancelled");

        Assert.Equal("deposit-failed", order.GetProperty("cancellationReason").GetString());
        var record = await staff.GetFromJsonAsync<JsonElement>($"/api/customers/{order.GetProperty("customerId").GetString()}/purchase-record", Ct);
        var deposit = Assert.Single(record.GetProperty("payments").EnumerateArray());
        Assert.Equal("Failed", deposit.GetProperty("status").GetString());
        var activity = await ActivityAsync(operatorClient, "payment-provider");
        Assert.Contains(activity, a => a.Operation == "create-intent" && a.Outcome == "decline" && a.Subject == "sim-declined-1");
        Assert.Contains(activity, a => a.Operation == "webhook" && a.Outcome == "payment.failed" && a.Detail!.EndsWith("-> 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FactoryScriptedToRejectInProduction_DepositRefunded_OrderCancelled()
    {
        const string tenant = "sim-reject";
        await using var factory = CreateFactory();
        using var staff = await factory.ClientAsync("staff-sim", tenant, "dealer-staff");
        using var operatorClient = await factory.ClientAsync("op-sim", tenant, "operator");
        await SeedModelAsync(factory.Services, tenant, Model);

        using var scripted = await operatorClient.PutAsJsonAsync("/api/dev/simulators/factory/scripts/sim-rejected-1",
            new { outcomes = new[] { new { outcome = "reject", stage = "in_production", code = "parts-shortage" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, scripted.StatusCode);
        using var created = await staff.PostAsJsonAsync("/api/orders", Sale("sim-rejected-1", Model, "rejected.sim@example.test", Customer), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await WaitForOrderAsync(staff, "sim-rejected-1", "Cancelled");

        Assert.Equal("factory-rejected", order.GetProperty("cancellationReason").GetString());
        var history = order.GetProperty("history").EnumerateArray().Select(h => $"{h.GetProperty("status").GetString()}:{(h.TryGetProperty("detail", out var d) ? d.GetString() : null)}").ToList();
        Assert.Contains("InManufacturing:Accepted", history);
        Assert.DoesNotContain("InManufacturing:InProduction", history);
        var record = await staff.GetFromJsonAsync<JsonElement>($"/api/customers/{order.GetProperty("customerId").GetString()}/purchase-record", Ct);
        Assert.Equal("Refunded", Assert.Single(record.GetProperty("payments").EnumerateArray()).GetProperty("status").GetString());
        Assert.Empty(record.GetProperty("vehicles").EnumerateArray());
        var webhooks = (await ActivityAsync(operatorClient, "factory")).Where(a => a.Operation == "webhook").Select(a => a.Outcome);
        Assert.Equal(["accepted", "rejected"], webhooks);
    }

    /// <summary>
    /// A provider that fails once is retried and the order goes on; one that fails on every attempt cancels
    /// the order as unpayable instead of leaving a failed instance behind.
    /// </summary>
    [Fact]
    public async Task PaymentProviderFailingToCreateTheIntent_RetriedOnce_ThenCancelledWhenItNeverRecovers()
    {
        const string tenant = "sim-provider-down";
        await using var factory = CreateFactory();
        using var staff = await factory.ClientAsync("staff-sim", tenant, "dealer-staff");
        using var operatorClient = await factory.ClientAsync("op-sim", tenant, "operator");
        await SeedModelAsync(factory.Services, tenant, Model);

        using var once = await operatorClient.PutAsJsonAsync("/api/dev/simulators/payment-provider/scripts/sim-flaky-1",
            new { outcomes = new[] { new { outcome = "fail" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, once.StatusCode);
        using var always = await operatorClient.PutAsJsonAsync("/api/dev/simulators/payment-provider/scripts/sim-down-1",
            new { outcomes = Enumerable.Repeat(new { outcome = "fail" }, 3).ToArray() }, Ct);
        Assert.Equal(HttpStatusCode.OK, always.StatusCode);

        using var flaky = await staff.PostAsJsonAsync("/api/orders", Sale("sim-flaky-1", Model, "flaky.sim@example.test", Customer), Ct);
        Assert.Equal(HttpStatusCode.Created, flaky.StatusCode);
        using var down = await staff.PostAsJsonAsync("/api/orders", Sale("sim-down-1", Model, "down.sim@example.test", Customer), Ct);
        Assert.Equal(HttpStatusCode.Created, down.StatusCode);

        var cancelled = await WaitForOrderAsync(staff, "sim-down-1", "Cancelled");
        Assert.Equal("payment-provider-unavailable", cancelled.GetProperty("cancellationReason").GetString());
        await WaitForOrderAsync(staff, "sim-flaky-1", "Completed");
        var attempts = (await ActivityAsync(operatorClient, "payment-provider")).Where(a => a.Operation == "create-intent").ToList();
        Assert.Equal(3, attempts.Count(a => a.Subject == "sim-down-1" && a.Outcome == "fail"));
        Assert.Single(attempts, a => a.Subject == "sim-flaky-1" && a.Outcome == "fail");
    }

    /// <summary>
    /// One tenant switches the payment provider and the factory to manual while another keeps the configured
    /// automatic webhooks: the automatic tenant's order is paid by the simulator, the manual tenant's waits for
    /// the person (here the test) who pays by signed webhook, and no factory stage arrives by itself.
    /// </summary>
    [Fact]
    public async Task ManualMode_SimulatorsSendNoWebhooks_ThePersonPlaysThePartner()
    {
        const string manualTenant = "sim-manual";
        const string automaticTenant = "sim-automatic";
        await using var factory = CreateFactory();
        using var manualStaff = await factory.ClientAsync("staff-sim", manualTenant, "dealer-staff");
        using var automaticStaff = await factory.ClientAsync("staff-sim", automaticTenant, "dealer-staff");
        using var operatorClient = await factory.ClientAsync("op-sim", manualTenant, "admin");
        await SeedModelAsync(factory.Services, manualTenant, Model);
        await SeedModelAsync(factory.Services, automaticTenant, Model);

        foreach (var simulator in new[] { "payment-provider", "factory" })
        {
            using var switched = await operatorClient.PutAsJsonAsync($"/api/dev/simulators/{simulator}/mode", new { mode = "manual" }, Ct);
            Assert.Equal("manual", (await switched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("mode").GetString());
        }

        using var manualOrder = await manualStaff.PostAsJsonAsync("/api/orders", Sale("sim-manual-1", Model, "manual.sim@example.test", Customer), Ct);
        Assert.Equal(HttpStatusCode.Created, manualOrder.StatusCode);
        await Eventually.UntilAsync(async () => (await ActivityAsync(operatorClient, "payment-provider")).Any(a => a.Operation == "create-intent"), "the deposit intent is created");
        using var automaticOrder = await automaticStaff.PostAsJsonAsync("/api/orders", Sale("sim-automatic-1", Model, "automatic.sim@example.test", Customer), Ct);
        Assert.Equal(HttpStatusCode.Created, automaticOrder.StatusCode);

        // The automatic tenant's order gets through manufacturing by the simulators' webhooks...
        await WaitForOrderAsync(automaticStaff, "sim-automatic-1", "Completed");

        // ...while the manual tenant's, ordered first, still waits for its deposit: nothing was sent for it.
        var waiting = await manualStaff.GetFromJsonAsync<JsonElement>("/api/orders/sim-manual-1", Ct);
        Assert.Equal("AwaitingDeposit", waiting.GetProperty("status").GetString());
        Assert.DoesNotContain(await ActivityAsync(operatorClient, "payment-provider"), a => a.Operation == "webhook");

        // The person plays the provider; the factory accepts the order but sends no stage.
        using var partner = factory.CreateClient();
        await SendWebhookAsync(partner, "/api/webhooks/payments", PaymentsSecret,
            new { eventId = "evt-sim-manual", type = "payment.succeeded", paymentId = "pay-sim-manual", tenantId = manualTenant, orderId = "sim-manual-1", purpose = "deposit" });
        await WaitForOrderAsync(manualStaff, "sim-manual-1", "FactoryOrdered");

        // The factory decides when the order is placed whether stages will follow, and schedules them then: its
        // record of that decision is the signal that nothing for this order is still to come.
        var factoryActivity = await Eventually.UntilAsync(() => ActivityAsync(operatorClient, "factory"),
            activity => activity.Any(a => a.Operation == "place-order" && a.Subject == "sim-manual-1"), "the factory order is placed");
        Assert.Contains("manual: no stage webhooks", factoryActivity.Single(a => a.Operation == "place-order").Detail, StringComparison.Ordinal);
        Assert.Equal("FactoryOrdered", (await manualStaff.GetFromJsonAsync<JsonElement>("/api/orders/sim-manual-1", Ct)).GetProperty("status").GetString());
        Assert.DoesNotContain(await ActivityAsync(operatorClient, "factory"), a => a.Operation == "webhook");
    }

    private LocalHostFactory CreateFactory()
    {
        var factory = NewFactory(emulators, PaymentsSecret, FactorySecret);
        factory.Settings["CarAsAService:Simulators:AutoPay"] = "true";
        factory.Settings["CarAsAService:Simulators:AutoManufacture"] = "true";
        factory.Settings["CarAsAService:Simulators:StepDelay"] = "00:00:00.200";
        factory.Settings["CarAsAService:Workflow:PaymentIntentMaxAttempts"] = "3";
        factory.Settings["CarAsAService:Workflow:PaymentIntentFirstRetry"] = "00:00:00.500";

        // The simulators post their webhooks over HTTP to the host; in-process, that host is the test server.
        factory.ConfigureTestServices = services => services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => factory.Server.CreateHandler());
        return factory;
    }

    private sealed record Activity(string Simulator, string Subject, string Operation, string Outcome, string? Detail);

    private static async Task<IReadOnlyList<Activity>> ActivityAsync(HttpClient operatorClient, string simulator)
    {
        var body = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/dev/simulators/{simulator}/activity", Ct);
        return body.GetProperty("items").Deserialize<List<Activity>>(EndToEndOrders.Json)!;
    }
}
