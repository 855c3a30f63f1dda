using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.CarAsAService.Partners;
using ServerlessMobility.Testing;
using ServerlessMobility.Platform.Persistence;

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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PaymentProviderScriptedToDecline_DepositWebhookIsAFailure_OrderCancelled()
    {
        const string tenant = "sim-decline";
        await using var factory = CreateFactory();
        using var staff = await ClientAsync(factory, tenant, "staff-sim", "dealer-staff");
        using var operatorClient = await ClientAsync(factory, tenant, "op-sim", "operator");
        await SeedModelAsync(factory, tenant);

        using var scripted = await operatorClient.PutAsJsonAsync("/api/dev/simulators/payment-provider/scripts/sim-declined-1",
            new { outcomes = new[] { new { outcome = "decline", code = "insufficient-funds" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, scripted.StatusCode);
        using var created = await staff.PostAsJsonAsync("/api/orders", Sale("sim-declined-1", "declined.sim@example.test"), Ct);
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
        using var staff = await ClientAsync(factory, tenant, "staff-sim", "dealer-staff");
        using var operatorClient = await ClientAsync(factory, tenant, "op-sim", "operator");
        await SeedModelAsync(factory, tenant);

        using var scripted = await operatorClient.PutAsJsonAsync("/api/dev/simulators/factory/scripts/sim-rejected-1",
            new { outcomes = new[] { new { outcome = "reject", stage = "in_production", code = "parts-shortage" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, scripted.StatusCode);
        using var created = await staff.PostAsJsonAsync("/api/orders", Sale("sim-rejected-1", "rejected.sim@example.test"), Ct);
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
        using var staff = await ClientAsync(factory, tenant, "staff-sim", "dealer-staff");
        using var operatorClient = await ClientAsync(factory, tenant, "op-sim", "operator");
        await SeedModelAsync(factory, tenant);

        using var once = await operatorClient.PutAsJsonAsync("/api/dev/simulators/payment-provider/scripts/sim-flaky-1",
            new { outcomes = new[] { new { outcome = "fail" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, once.StatusCode);
        using var always = await operatorClient.PutAsJsonAsync("/api/dev/simulators/payment-provider/scripts/sim-down-1",
            new { outcomes = Enumerable.Repeat(new { outcome = "fail" }, 3).ToArray() }, Ct);
        Assert.Equal(HttpStatusCode.OK, always.StatusCode);

        using var flaky = await staff.PostAsJsonAsync("/api/orders", Sale("sim-flaky-1", "flaky.sim@example.test"), Ct);
        Assert.Equal(HttpStatusCode.Created, flaky.StatusCode);
        using var down = await staff.PostAsJsonAsync("/api/orders", Sale("sim-down-1", "down.sim@example.test"), Ct);
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
        using var manualStaff = await ClientAsync(factory, manualTenant, "staff-sim", "dealer-staff");
        using var automaticStaff = await ClientAsync(factory, automaticTenant, "staff-sim", "dealer-staff");
        using var operatorClient = await ClientAsync(factory, manualTenant, "op-sim", "admin");
        await SeedModelAsync(factory, manualTenant);
        await SeedModelAsync(factory, automaticTenant);

        foreach (var simulator in new[] { "payment-provider", "factory" })
        {
            using var switched = await operatorClient.PutAsJsonAsync($"/api/dev/simulators/{simulator}/mode", new { mode = "manual" }, Ct);
            Assert.Equal("manual", (await switched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("mode").GetString());
        }

        using var manualOrder = await manualStaff.PostAsJsonAsync("/api/orders", Sale("sim-manual-1", "manual.sim@example.test"), Ct);
        Assert.Equal(HttpStatusCode.Created, manualOrder.StatusCode);
        await Eventually.UntilAsync(async () => (await ActivityAsync(operatorClient, "payment-provider")).Any(a => a.Operation == "create-intent"), "the deposit intent is created");
        using var automaticOrder = await automaticStaff.PostAsJsonAsync("/api/orders", Sale("sim-automatic-1", "automatic.sim@example.test"), Ct);
        Assert.Equal(HttpStatusCode.Created, automaticOrder.StatusCode);

        // The automatic tenant's order gets through manufacturing by the simulators' webhooks...
        await WaitForOrderAsync(automaticStaff, "sim-automatic-1", "Completed");

        // ...while the manual tenant's, ordered first, still waits for its deposit: nothing was sent for it.
        var waiting = await manualStaff.GetFromJsonAsync<JsonElement>("/api/orders/sim-manual-1", Ct);
        Assert.Equal("AwaitingDeposit", waiting.GetProperty("status").GetString());
        Assert.DoesNotContain(await ActivityAsync(operatorClient, "payment-provider"), a => a.Operation == "webhook");

        // The person plays the provider; the factory accepts the order but sends no stage.
        using var paid = await PostWebhookAsync(factory, "/api/webhooks/payments", PaymentsSecret,
            new { eventId = "evt-sim-manual", type = "payment.succeeded", paymentId = "pay-sim-manual", tenantId = manualTenant, orderId = "sim-manual-1", purpose = "deposit" });
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        await WaitForOrderAsync(manualStaff, "sim-manual-1", "FactoryOrdered");
        await Eventually.UntilAsync(async () => (await ActivityAsync(operatorClient, "factory")).Any(a => a.Operation == "place-order"), "the factory order is placed");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // ten of the simulators' step delays
        Assert.Equal("FactoryOrdered", (await manualStaff.GetFromJsonAsync<JsonElement>("/api/orders/sim-manual-1", Ct)).GetProperty("status").GetString());
        Assert.DoesNotContain(await ActivityAsync(operatorClient, "factory"), a => a.Operation == "webhook");
    }

    private LocalHostFactory CreateFactory()
    {
        // Every response a test receives is held to the OpenAPI document (issue 16 item 14).
        var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["CarAsAService:Webhooks:PaymentsSecret"] = PaymentsSecret;
        factory.Settings["CarAsAService:Webhooks:FactorySecret"] = FactorySecret;
        factory.Settings["CarAsAService:Outbound:Mode"] = "Simulated";
        factory.Settings["CarAsAService:Simulators:AutoPay"] = "true";
        factory.Settings["CarAsAService:Simulators:AutoManufacture"] = "true";
        factory.Settings["CarAsAService:Simulators:StepDelay"] = "00:00:00.200";
        factory.Settings["CarAsAService:Workflow:RegistrationFirstRetry"] = "00:00:01";
        factory.Settings["CarAsAService:Workflow:PaymentIntentMaxAttempts"] = "3";
        factory.Settings["CarAsAService:Workflow:PaymentIntentFirstRetry"] = "00:00:00.500";
        factory.Settings["Durable:MaxQueuePollingInterval"] = "00:00:00.250";
        factory.Settings["Mqtt:Enabled"] = "false";
        factory.Settings["Logging:LogLevel:Default"] = "Warning";

        // The simulators post their webhooks over HTTP to the host; in-process, that host is the test server.
        factory.ConfigureTestServices = services => services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => factory.Server.CreateHandler());
        return factory;
    }

    private static object Sale(string orderId, string email) => new
    {
        orderId,
        customer = new { name = "Simulated Customer", email },
        modelId = "sim-model",
        packs = Array.Empty<string>(),
        country = "ES",
    };

    private static async Task SeedModelAsync(LocalHostFactory factory, string tenant)
    {
        try
        {
            await factory.Services.GetRequiredService<ITenantRepository<VehicleModel>>().CreateAsync(tenant, "sim-model",
                new VehicleModel("sim-model", tenant, "Simulated model", [new CountryPrice("ES", 30000m, 0.21m, "EUR")], []), Ct);
        }
        catch (ConflictException)
        {
            // Seeded by an earlier test against the same emulators.
        }
    }

    private static async Task<HttpClient> ClientAsync(LocalHostFactory factory, string tenant, string subject, string role)
    {
        var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/dev/token", new { subject, tenantId = tenant, roles = new[] { role } }, Ct);
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        return client;
    }

    private sealed record Activity(string Simulator, string Subject, string Operation, string Outcome, string? Detail);

    private static async Task<IReadOnlyList<Activity>> ActivityAsync(HttpClient operatorClient, string simulator)
    {
        var body = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/dev/simulators/{simulator}/activity", Ct);
        return body.GetProperty("items").Deserialize<List<Activity>>(Json)!;
    }

    private static async Task<HttpResponseMessage> PostWebhookAsync(LocalHostFactory factory, string route, string secret, object body)
    {
        using var client = factory.CreateClient();
        using var request = Http.CaasHost.SignedRequest(route, secret, JsonSerializer.Serialize(body, Json));
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Polls the order (never a fixed sleep) with a deadline generous enough for a loaded 2-core machine.</summary>
    private static async Task<JsonElement> WaitForOrderAsync(HttpClient staff, string orderId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement order = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await staff.GetAsync(new Uri($"/api/orders/{orderId}", UriKind.Relative), Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                order = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                var current = order.GetProperty("status").GetString();
                if (current == status)
                {
                    return order;
                }

                Assert.False(current is "Cancelled" or "Completed", $"Order {orderId} ended {current} while waiting for {status}: {order}");
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Order {orderId} did not reach {status}; last seen: {order}");
    }
}
