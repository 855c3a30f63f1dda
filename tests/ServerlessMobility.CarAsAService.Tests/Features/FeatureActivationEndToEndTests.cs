using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Catalog;
using ServerlessMobility.Core.CarAsAService.Customers;
using ServerlessMobility.Core.CarAsAService.Features;
using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// Feature purchases through HTTP on the whole local host: the real durable engine (Azurite), the Cosmos
/// server, the embedded MQTT broker with a simulated vehicle answering IoT Hub direct methods, and the
/// card payment simulator whose recorded calls show what was held, captured and released. Workflow time is
/// a FakeTimeProvider the test moves forward, so retries hours apart and a 12-month expiry take seconds.
/// </summary>
public sealed class FeatureActivationEndToEndTests(PlatformEmulators emulators)
{
    private const string Tenant = "dealer-ota";
    private const string Model = "aurora-s";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwelveMonths_VehicleConfirms_CapturedOnceThenSwitchedOffWhenTheTimerFires()
    {
        await using var world = await World.StartAsync(emulators);
        await world.AddFeatureAsync("extra-range", requiresMaintenance: false);

        var purchase = await world.PurchaseAsync("extra-range", "TwelveMonths");
        Assert.Equal(HttpStatusCode.Accepted, purchase.StatusCode);
        var active = await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Active);

        Assert.Equal(new[] { "extra-range" }, world.Vehicle.ActiveFeatures);
        var held = Assert.Single(world.CallsFor(active), c => c.Operation == "authorize");
        Assert.Equal(new Money(12 * 121.00m, "EUR"), held.Amount); // 100 net + 21 % VAT, twelve months up front
        var captured = Assert.Single(world.Calls(), c => c.Operation == "capture");
        Assert.Equal(held.Amount, captured.Amount);
        Assert.DoesNotContain(world.Calls(), c => c.Operation == "void");
        Assert.Equal(active.ActivatedAt!.Value.AddMonths(12), active.EndsAt);

        world.Time.SetUtcNow(active.EndsAt!.Value.AddMinutes(1));
        var ended = await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Deactivated);

        Assert.Empty(world.Vehicle.ActiveFeatures);
        Assert.Equal(new[] { FeatureSubscriptionState.Requested, FeatureSubscriptionState.Activating, FeatureSubscriptionState.Active, FeatureSubscriptionState.Expiring, FeatureSubscriptionState.Deactivated },
            ended.History.Select(h => h.State));
        Assert.Single(world.Calls(), c => c.Operation == "capture");
    }

    [Fact]
    public async Task VehicleRefusesEveryAttempt_HoldVoidedNeverCaptured_SupportCaseOpenedAndCustomerToldNothingWasCharged()
    {
        await using var world = await World.StartAsync(emulators);
        await world.AddFeatureAsync("heated-seats", requiresMaintenance: false);
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.Fail;

        await world.PurchaseAsync("heated-seats", "OneMonth");
        var failed = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Failed, advanceTime: true);

        Assert.Equal(3, world.Vehicle.ReceivedMethods.Count(m => m.Method == "activateFeature"));
        Assert.StartsWith("activation-failed", failed.FailureReason, StringComparison.Ordinal);
        var operations = world.CallsFor(failed).Select(c => c.Operation).ToList();
        Assert.Equal(new[] { "authorize", "void" }, operations);
        Assert.DoesNotContain(world.Calls(), c => c.Operation == "capture");
        Assert.Empty(world.Vehicle.ActiveFeatures);
        var finished = await world.WaitForInstanceAsync(failed.InstanceId);
        Assert.Equal(WorkflowRuntimeStatus.Completed, finished.RuntimeStatus);
        var documents = world.Get<IDocumentStore>();
        Assert.NotNull(await documents.GetAsync($"{Tenant}/support-cases/{failed.Id}.activation-failed.json", Ct));
        var notice = await world.NotificationAsync(failed.Id, "feature-activation-failed");
        Assert.Contains("Nothing was charged", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VoidFailsForAWhile_RetriedInRoundsVisibleToOperators_ThenReleasedAndNeverCaptured()
    {
        await using var world = await World.StartAsync(emulators, voidAttemptsPerRound: 2);
        await world.AddFeatureAsync("heated-seats", requiresMaintenance: false);
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.Fail;
        world.Get<SimulatedCardPayments>().FailNextVoids(3);

        await world.PurchaseAsync("heated-seats", "OneMonth");
        var subscription = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Activating);

        // Operators see the failing release in the instance's custom status while the workflow waits for the next round.
        var client = world.Get<IWorkflowClient>();
        await Eventually(async () =>
        {
            world.Time.Advance(TimeSpan.FromMinutes(1));
            var instance = await client.GetInstanceAsync(subscription.InstanceId, cancellationToken: Ct);
            return instance?.SerializedCustomStatus?.Contains("void-failing", StringComparison.Ordinal) == true ? instance : null;
        });
        var failed = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Failed, advanceTime: true);

        Assert.Equal(new[] { "authorize", "void", "void", "void", "void" }, world.CallsFor(failed).Select(c => c.Operation));
        Assert.DoesNotContain(world.Calls(), c => c.Operation == "capture");
    }

    [Fact]
    public async Task VehicleSucceedsOnTheThirdAttempt_ActiveAndCapturedOnce()
    {
        await using var world = await World.StartAsync(emulators, commandAttempts: 4);
        await world.AddFeatureAsync("adaptive-cruise", requiresMaintenance: false);
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.SucceedAfter(3);

        await world.PurchaseAsync("adaptive-cruise", "OneMonth");
        var active = await world.WaitForStateAsync("adaptive-cruise", FeatureSubscriptionState.Active, advanceTime: true);

        Assert.Equal(3, world.Vehicle.ReceivedMethods.Count(m => m.Method == "activateFeature"));
        Assert.Equal(new[] { "authorize", "capture" }, world.CallsFor(active).Select(c => c.Operation));
        Assert.Equal(new[] { "adaptive-cruise" }, world.Vehicle.ActiveFeatures);
    }

    [Fact]
    public async Task VehicleAnswersTooLateThenAnswersTheRetry_ActiveAndCapturedOnce()
    {
        await using var world = await World.StartAsync(emulators);
        await world.AddFeatureAsync("performance", requiresMaintenance: false);
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.TimeOut;

        await world.PurchaseAsync("performance", "OneMonth");
        await world.WaitForStateAsync("performance", FeatureSubscriptionState.Activating);
        await Eventually(() => world.Vehicle.ReceivedMethods.Any(m => m.Method == "activateFeature"));

        // The first attempt is past its response timeout (the platform stopped waiting); the vehicle wakes up.
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.Succeed;
        var active = await world.WaitForStateAsync("performance", FeatureSubscriptionState.Active, advanceTime: true);

        Assert.True(world.Vehicle.ReceivedMethods.Count(m => m.Method == "activateFeature") >= 2);
        Assert.Equal(new[] { "authorize", "capture" }, world.CallsFor(active).Select(c => c.Operation));
    }

    [Fact]
    public async Task OpenEnded_CancelledByTheCustomer_SwitchedOffAndTheMonthBilledProRataInArrears()
    {
        await using var world = await World.StartAsync(emulators);
        var active = await world.ActivateOpenEndedAsync("heated-seats");
        Assert.Equal(new[] { "authorize", "void" }, world.CallsFor(active).Select(c => c.Operation)); // billed in arrears: the hold is released

        // The customer uses the feature for a while (two days, or half of what is left of the month).
        var monthEnd = FeatureBilling.MonthStart(active.ActivatedAt!.Value).AddMonths(1);
        world.Time.Advance(TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(2).Ticks, (monthEnd - active.ActivatedAt.Value).Ticks / 2)));
        using var early = await world.Owner.PostAsync($"/api/vehicles/{world.Vin}/features/heated-seats/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);

        var cancelled = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Cancelled);
        Assert.Empty(world.Vehicle.ActiveFeatures);
        using var again = await world.Owner.PostAsync($"/api/vehicles/{world.Vin}/features/heated-seats/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // The month ends: the billing workflow invoices the days the feature was usable and collects them.
        var periodStart = FeatureBilling.MonthStart(active.ActivatedAt!.Value);
        world.Time.SetUtcNow(periodStart.AddMonths(1).AddMinutes(1));
        var invoices = world.Get<ITenantRepository<FeatureInvoice>>();
        var invoiceId = FeatureInvoice.IdFor(world.Owner.Subject, periodStart, "EUR");
        var billing = await world.WaitForInstanceAsync(FeatureBillingWorkflow.InstanceIdFor(Tenant, world.Owner.Subject));
        Assert.True(billing.RuntimeStatus == WorkflowRuntimeStatus.Completed, $"billing {billing.RuntimeStatus}: {billing.FailureDetails?.ErrorMessage}");
        var invoice = (await invoices.GetAsync(Tenant, invoiceId, Ct))?.Value;
        Assert.NotNull(invoice);
        Assert.Equal(FeatureInvoiceStatus.Paid, invoice.Status);

        var line = Assert.Single(invoice.Lines);
        var share = (decimal)(cancelled.EndedAt!.Value - active.ActivatedAt!.Value).Ticks / (periodStart.AddMonths(1) - periodStart).Ticks;
        Assert.Equal(Math.Round(100m * share, 2, MidpointRounding.AwayFromZero), line.Net.Amount);
        Assert.Equal(line.Net.Amount + Math.Round(line.Net.Amount * 0.21m, 2, MidpointRounding.AwayFromZero), invoice.Gross.Amount);
        var charge = Assert.Single(world.Calls(), c => c.Operation == "charge");
        Assert.Equal(invoice.Gross, charge.Amount);
        Assert.All(invoice.DocumentPaths, path => Assert.StartsWith($"{Tenant}/customers/{world.Owner.Subject}/feature-invoices/", path, StringComparison.Ordinal));
        Assert.NotNull(await world.Get<IDocumentStore>().GetAsync(invoice.DocumentPaths[1], Ct));

        // The customer's purchase record links the invoice documents and the feature's history.
        var record = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/customers/{world.Owner.Subject}/purchase-record", Ct);
        Assert.Equal(invoice.DocumentPaths.Order(StringComparer.Ordinal), record.GetProperty("documents").EnumerateArray()
            .Where(d => d.GetProperty("kind").GetString() == "feature-invoice").Select(d => d.GetProperty("blobPath").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("Cancelled", record.GetProperty("features").EnumerateArray().Single().GetProperty("state").GetString());
    }

    [Fact]
    public async Task OpenEnded_CardDeclinedAtMonthEnd_ChargedAgainOnTheScheduleWithFreshKeysUntilPaid()
    {
        await using var world = await World.StartAsync(emulators);
        var active = await world.ActivateOpenEndedAsync("heated-seats");
        var cards = world.Get<SimulatedCardPayments>();
        cards.DeclinedCustomers[world.Owner.Subject] = true;

        var periodEnd = FeatureBilling.MonthStart(active.ActivatedAt!.Value).AddMonths(1);
        var invoiceId = FeatureInvoice.IdFor(world.Owner.Subject, periodEnd.AddMonths(-1), "EUR");
        world.Time.SetUtcNow(periodEnd.AddMinutes(1));
        var declined = await world.WaitForInvoiceAsync(invoiceId, i => i.CollectionAttempts == 1);
        Assert.Equal(FeatureInvoiceStatus.PaymentFailed, declined.Status);
        Assert.Equal("card-declined", declined.FailureCode);
        Assert.Contains("could not be collected", await world.NotificationAsync(invoiceId, "failed.1"), StringComparison.Ordinal);

        // Nothing more is tried before the first retry date (three days after the month ended).
        world.Time.SetUtcNow(periodEnd.AddDays(3).AddMinutes(-1));
        await Task.Delay(500, Ct);
        Assert.Single(world.Calls(), c => c.Operation == "charge");

        world.Time.SetUtcNow(periodEnd.AddDays(3).AddMinutes(1));
        await world.WaitForInvoiceAsync(invoiceId, i => i.CollectionAttempts == 2);

        // The customer sees the unpaid invoice in the purchase record.
        var record = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/customers/{world.Owner.Subject}/purchase-record", Ct);
        var shown = record.GetProperty("featureInvoices").EnumerateArray().Single();
        Assert.Equal((invoiceId, "PaymentFailed", 2), (shown.GetProperty("id").GetString(), shown.GetProperty("status").GetString(), shown.GetProperty("collectionAttempts").GetInt32()));

        cards.DeclinedCustomers.TryRemove(world.Owner.Subject, out _);
        world.Time.SetUtcNow(periodEnd.AddDays(7).AddMinutes(1));
        var paid = await world.WaitForInvoiceAsync(invoiceId, i => i.Status == FeatureInvoiceStatus.Paid);

        Assert.Equal(3, paid.CollectionAttempts);
        var charges = world.Calls().Where(c => c.Operation == "charge").ToList();
        Assert.Equal([$"feature-invoice:{invoiceId}", $"feature-invoice:{invoiceId}:2", $"feature-invoice:{invoiceId}:3"], charges.Select(c => c.IdempotencyKey));
        Assert.All(charges, c => Assert.Equal(paid.Gross, c.Amount));
        Assert.Equal("ch_" + charges[^1].IdempotencyKey, paid.ProviderReference);

        // Paid, the workflow goes on to the next month and the last retry date charges nothing.
        world.Time.SetUtcNow(periodEnd.AddDays(14).AddMinutes(1));
        await Task.Delay(500, Ct);
        Assert.Equal(3, world.Calls().Count(c => c.Operation == "charge"));
        var billing = await world.Get<IWorkflowClient>().GetInstanceAsync(FeatureBillingWorkflow.InstanceIdFor(Tenant, world.Owner.Subject), cancellationToken: Ct);
        Assert.Contains("waiting", billing!.SerializedCustomStatus, StringComparison.Ordinal);
        Assert.Equal(FeatureSubscriptionState.Active, (await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Active)).State);
    }

    [Fact]
    public async Task OpenEnded_BoughtWhileTheLastInvoiceIsStillBeingCollected_BilledTheNextMonth()
    {
        await using var world = await World.StartAsync(emulators);
        var first = await world.ActivateOpenEndedAsync("heated-seats");
        var cards = world.Get<SimulatedCardPayments>();
        cards.DeclinedCustomers[world.Owner.Subject] = true;
        world.Time.Advance(TimeSpan.FromMinutes(10));
        using (var cancel = await world.Owner.PostAsync($"/api/vehicles/{world.Vin}/features/heated-seats/cancel", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Cancelled);

        // The month is billed with nothing open any more, and its invoice is declined: collection goes on for days.
        var periodEnd = FeatureBilling.MonthStart(first.ActivatedAt!.Value).AddMonths(1);
        var firstInvoice = FeatureInvoice.IdFor(world.Owner.Subject, periodEnd.AddMonths(-1), "EUR");
        world.Time.SetUtcNow(periodEnd.AddMinutes(1));
        await world.WaitForInvoiceAsync(firstInvoice, i => i.CollectionAttempts == 1);

        // Meanwhile the customer buys another open-ended feature; its activation finds the billing instance running.
        cards.DeclinedCustomers.TryRemove(world.Owner.Subject, out _);
        await world.AddFeatureAsync("extra-range", requiresMaintenance: false);
        using (var purchase = await world.PurchaseAsync("extra-range", "OpenEndedMonthly"))
        {
            Assert.Equal(HttpStatusCode.Accepted, purchase.StatusCode);
        }

        var second = await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Active);
        world.Time.SetUtcNow(periodEnd.AddDays(3).AddMinutes(1));
        await world.WaitForInvoiceAsync(firstInvoice, i => i.Status == FeatureInvoiceStatus.Paid);

        // The next month is billed, with the feature bought during the collection.
        world.Time.SetUtcNow(periodEnd.AddMonths(1).AddMinutes(1));
        var next = await world.WaitForInvoiceAsync(FeatureInvoice.IdFor(world.Owner.Subject, periodEnd, "EUR"), i => i.Status == FeatureInvoiceStatus.Paid);
        var line = Assert.Single(next.Lines);
        Assert.Equal((second.Id, second.ActivatedAt!.Value), (line.SubscriptionId, line.From));
    }

    [Fact]
    public async Task OpenEnded_EveryAttemptDeclined_InvoiceUncollectibleWithASupportCase_RepeatedAttemptsChargeNothing()
    {
        await using var world = await World.StartAsync(emulators);
        var active = await world.ActivateOpenEndedAsync("heated-seats");
        world.Get<SimulatedCardPayments>().DeclinedCustomers[world.Owner.Subject] = true;

        var periodEnd = FeatureBilling.MonthStart(active.ActivatedAt!.Value).AddMonths(1);
        var invoiceId = FeatureInvoice.IdFor(world.Owner.Subject, periodEnd.AddMonths(-1), "EUR");
        foreach (var (at, attempts) in new[] { (TimeSpan.Zero, 1), (TimeSpan.FromDays(3), 2), (TimeSpan.FromDays(7), 3), (TimeSpan.FromDays(14), 4) })
        {
            world.Time.SetUtcNow(periodEnd + at + TimeSpan.FromMinutes(1));
            await world.WaitForInvoiceAsync(invoiceId, i => i.CollectionAttempts == attempts);
        }

        var given = await world.WaitForInvoiceAsync(invoiceId, i => i.Status == FeatureInvoiceStatus.Uncollectible);
        Assert.Equal(4, world.Calls().Count(c => c.Operation == "charge"));
        var supportCase = await Eventually(() => world.Get<IDocumentStore>().GetAsync($"{Tenant}/support-cases/{invoiceId}.uncollectible.json", Ct));
        Assert.Contains("declined 4 times", Encoding.UTF8.GetString(supportCase), StringComparison.Ordinal);
        Assert.Contains("our team will contact you", await world.NotificationAsync(invoiceId, "uncollectible"), StringComparison.Ordinal);

        // A repeated delivery of any attempt, or a late one, charges nothing once the invoice is settled one way or the other.
        var collector = world.Get<FeatureInvoiceCollector>();
        Assert.Equal(FeatureInvoiceStatus.Uncollectible, (await collector.CollectAsync(Tenant, invoiceId, 2, Ct)).Status);
        Assert.Equal(FeatureInvoiceStatus.Uncollectible, (await collector.CollectAsync(Tenant, invoiceId, 5, Ct)).Status);
        Assert.Equal(4, world.Calls().Count(c => c.Operation == "charge"));

        // The feature stays on: a person settles the debt with the customer.
        Assert.Equal(new[] { "heated-seats" }, world.Vehicle.ActiveFeatures);
        Assert.Equal(4, given.CollectionAttempts);

        // The customer pays by bank transfer; the dealership's admin records it, once.
        var settlement = $"/api/customers/{world.Owner.Subject}/feature-invoices/{invoiceId}/settlement";
        using var noReference = await world.Admin.PostAsJsonAsync(settlement, new { reference = " " }, Ct);
        using var byTheCustomer = await world.Owner.PostAsJsonAsync(settlement, new { reference = "paid, trust me" }, Ct);
        using var wrongCustomer = await world.Admin.PostAsJsonAsync($"/api/customers/someone-else/feature-invoices/{invoiceId}/settlement", new { reference = "TR-1" }, Ct);
        using var settled = await world.Admin.PostAsJsonAsync(settlement, new { reference = "TR-2026-0042" }, Ct);
        using var again = await world.Admin.PostAsJsonAsync(settlement, new { reference = "TR-2026-0042" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noReference.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byTheCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var paid = (await world.Get<ITenantRepository<FeatureInvoice>>().GetAsync(Tenant, invoiceId, Ct))!.Value;
        Assert.Equal((FeatureInvoiceStatus.Paid, "manual:TR-2026-0042", "admin-" + world.Vin), (paid.Status, paid.ProviderReference, paid.Settlement?.SettledBy));
        Assert.Equal(4, world.Calls().Count(c => c.Operation == "charge"));
        Assert.Contains("TR-2026-0042", await world.NotificationAsync(invoiceId, "paid"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaintenanceOverdue_GatedFeatureRefusedWithTheReason_NothingHeldOrStored()
    {
        await using var world = await World.StartAsync(emulators);
        await world.AddFeatureAsync("performance", requiresMaintenance: true);
        await world.AddFeatureAsync("heated-seats", requiresMaintenance: false);
        var now = world.Time.GetUtcNow();
        await world.Get<IRiskEventStore>().SaveAsync([new RiskEvent($"{world.Vin}-maint", world.Vin, Tenant, RiskRules.MaintenanceDue, "warning",
            now.AddDays(-40), null, null, "Odometer 30012 km passed the 30000 km maintenance interval.")], Ct);

        using var refused = await world.PurchaseAsync("performance", "OneMonth");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var offers = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/vehicles/{world.Vin}/features", Ct);
        var subscriptions = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/vehicles/{world.Vin}/features/subscriptions", Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Maintenance overdue", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, subscriptions.GetArrayLength());
        Assert.Empty(world.Calls());
        var performance = offers.EnumerateArray().Single(o => o.GetProperty("code").GetString() == "performance");
        Assert.False(performance.GetProperty("available").GetBoolean());
        Assert.True(offers.EnumerateArray().Single(o => o.GetProperty("code").GetString() == "heated-seats").GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task DuplicatePurchase_WhileActivatingOrActive_409_AndConcurrentPurchasesStartOnlyOne()
    {
        await using var world = await World.StartAsync(emulators);
        await world.AddFeatureAsync("extra-range", requiresMaintenance: false);
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.TimeOut;

        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => world.PurchaseAsync("extra-range", "OneMonth")));
        Assert.Equal(1, racing.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(3, racing.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        using var later = await world.PurchaseAsync("extra-range", "TwelveMonths");
        Assert.Equal(HttpStatusCode.Conflict, later.StatusCode);

        var subscriptions = await world.Owner.GetFromJsonAsync<List<FeatureSubscription>>($"/api/vehicles/{world.Vin}/features/subscriptions", Json, Ct);
        Assert.Single(subscriptions!);

        // The hold is placed before the subscription moves to Activating.
        await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Activating);
        Assert.Single(world.Calls(), c => c.Operation == "authorize");
        foreach (var response in racing)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SlotClaimedButItsSubscriptionNotWrittenYet_IsAPurchaseInProgress_UntilTheGraceEnds()
    {
        await using var world = await World.StartAsync(emulators);
        await world.AddFeatureAsync("extra-range", requiresMaintenance: false);

        // Another purchase has claimed the slot and is about to write its subscription (or crashed before it did).
        var slotId = FeatureSlot.IdFor(world.Vin, "extra-range");
        await world.Get<ITenantRepository<FeatureSlot>>().CreateAsync(Tenant, slotId, new FeatureSlot(slotId, Tenant, "not-written-yet", world.Time.GetUtcNow()), Ct);

        using var meanwhile = await world.PurchaseAsync("extra-range", "OneMonth");
        world.Time.Advance(FeatureSlot.ClaimGrace + TimeSpan.FromSeconds(1));
        using var afterTheGrace = await world.PurchaseAsync("extra-range", "OneMonth");

        Assert.Equal(HttpStatusCode.Conflict, meanwhile.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, afterTheGrace.StatusCode);
    }

    [Fact]
    public async Task BadRequests_ProblemDetails_AndOtherCustomersVehicleIsNotFound()
    {
        await using var world = await World.StartAsync(emulators);
        await world.AddFeatureAsync("extra-range", requiresMaintenance: false, minimumFirmware: "9.0");
        using var stranger = await world.ClientAsync("stranger-" + world.Vin, "customer");

        using var oldFirmware = await world.PurchaseAsync("extra-range", "OneMonth");
        using var noDuration = await world.Owner.PostAsJsonAsync($"/api/vehicles/{world.Vin}/features/extra-range/purchase", new { }, Ct);
        using var unknownFeature = await world.PurchaseAsync("teleport", "OneMonth");
        using var notTheirs = await stranger.PostAsJsonAsync($"/api/vehicles/{world.Vin}/features/extra-range/purchase", new { duration = "OneMonth" }, Ct);
        using var staffCannotBuy = await world.Admin.PostAsJsonAsync($"/api/vehicles/{world.Vin}/features/extra-range/purchase", new { duration = "OneMonth" }, Ct);
        using var badCatalog = await world.Admin.PutAsJsonAsync($"/api/models/{Model}/features/bad", new { name = "", minimumFirmware = "x", prices = Array.Empty<object>(), allowedDurations = Array.Empty<string>() }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, oldFirmware.StatusCode);
        Assert.Contains("9.0", await oldFirmware.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noDuration.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownFeature.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staffCannotBuy.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCatalog.StatusCode);
        var errors = (await badCatalog.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("minimumFirmware", out _));
        Assert.True(errors.TryGetProperty("prices", out _));
        Assert.Empty(world.Calls());
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 60 s.");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "The expected value did not appear within 60 s.");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>One local host with a connected vehicle, its owner, a dealership admin and a feature catalog.</summary>
    private sealed class World : IAsyncDisposable
    {
        private LocalHostFactory _factory = null!;

        public required FakeTimeProvider Time { get; init; }

        public string Vin { get; } = NewVin();

        public SimulatedVehicle Vehicle { get; private set; } = null!;

        public OwnerClient Owner { get; private set; } = null!;

        public HttpClient Admin { get; private set; } = null!;

        public static async Task<World> StartAsync(PlatformEmulators emulators, int commandAttempts = 3, int voidAttemptsPerRound = 5)
        {
            var world = new World { Time = new FakeTimeProvider(DateTimeOffset.UtcNow) };
            var factory = new LocalHostFactory(emulators);
            factory.Settings["CarAsAService:Outbound:Mode"] = "Simulated";
            factory.Settings["CarAsAService:Features:VehicleResponseTimeout"] = "00:00:01";
            factory.Settings["CarAsAService:Features:CommandMaxAttempts"] = commandAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
            factory.Settings["CarAsAService:Features:CommandFirstRetry"] = "00:05:00";
            factory.Settings["CarAsAService:Features:VoidFirstRetry"] = "00:00:01";
            factory.Settings["CarAsAService:Features:VoidMaxAttempts"] = voidAttemptsPerRound.ToString(System.Globalization.CultureInfo.InvariantCulture);
            factory.Settings["Durable:MaxPollInterval"] = "00:00:00.100";
            factory.Settings["Durable:TimerPollInterval"] = "00:00:00.050";
            factory.Settings["Logging:LogLevel:Default"] = "Warning";
            factory.ConfigureTestServices = services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(world.Time);
            };
            world._factory = factory;
            await world.InitializeAsync(emulators);
            return world;
        }

        public T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

        public IReadOnlyList<CardPaymentCall> Calls() => Get<SimulatedCardPayments>().Calls;

        /// <summary>The calls of one purchase: its hold (by subscription id) and what was done with that hold.</summary>
        public IReadOnlyList<CardPaymentCall> CallsFor(FeatureSubscription subscription) =>
            [.. Calls().Where(c => c.Reference == subscription.Id || c.Reference == subscription.AuthorizationId)];

        public async Task<HttpClient> ClientAsync(string subject, string role)
        {
            var client = _factory.CreateClient();
            using var response = await client.PostAsJsonAsync("/api/dev/token", new { subject, tenantId = Tenant, roles = new[] { role } }, Ct);
            response.EnsureSuccessStatusCode();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
            return client;
        }

        public async Task AddFeatureAsync(string code, bool requiresMaintenance, string minimumFirmware = "2.4")
        {
            using var response = await Admin.PutAsJsonAsync($"/api/models/{Model}/features/{code}", new
            {
                name = code.Replace('-', ' '),
                minimumFirmware,
                prices = new[] { new { country = "ES", netMonthlyPrice = 100m, vatRate = 0.21m, currency = "EUR" } },
                allowedDurations = new[] { "OneMonth", "TwelveMonths", "OpenEndedMonthly" },
                requiresMaintenanceUpToDate = requiresMaintenance,
                configuration = new Dictionary<string, string> { ["feature." + code] = "on" },
            }, Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        /// <summary>Adds the feature, buys it open-ended and waits until the vehicle has it on.</summary>
        public async Task<FeatureSubscription> ActivateOpenEndedAsync(string code)
        {
            await AddFeatureAsync(code, requiresMaintenance: false);
            using var purchase = await PurchaseAsync(code, "OpenEndedMonthly");
            Assert.Equal(HttpStatusCode.Accepted, purchase.StatusCode);
            return await WaitForStateAsync(code, FeatureSubscriptionState.Active);
        }

        public Task<HttpResponseMessage> PurchaseAsync(string code, string duration) =>
            Owner.PostAsJsonAsync($"/api/vehicles/{Vin}/features/{code}/purchase", new { duration }, Ct);

        /// <summary>
        /// Polls the owner's subscriptions until the feature reaches <paramref name="state"/>. With
        /// <paramref name="advanceTime"/> each poll moves workflow time a minute, so durable retry timers fire.
        /// </summary>
        public async Task<FeatureSubscription> WaitForStateAsync(string code, FeatureSubscriptionState state, bool advanceTime = false)
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            FeatureSubscription? last = null;
            while (DateTime.UtcNow < deadline)
            {
                var all = await Owner.GetFromJsonAsync<List<FeatureSubscription>>($"/api/vehicles/{Vin}/features/subscriptions", Json, Ct);
                last = all!.Where(s => s.FeatureCode == code).OrderByDescending(s => s.RequestedAt).FirstOrDefault();
                if (last?.State == state)
                {
                    return last;
                }

                if (advanceTime)
                {
                    Time.Advance(TimeSpan.FromMinutes(1));
                }

                await Task.Delay(100, Ct);
            }

            throw new TimeoutException($"{code} on {Vin} did not become {state}; last: {last?.State} {last?.FailureReason}");
        }

        /// <summary>Polls the workflow instance until it reaches a terminal state.</summary>
        public async Task<WorkflowInstance> WaitForInstanceAsync(string instanceId)
        {
            var client = Get<IWorkflowClient>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            WorkflowInstance? last = null;
            while (DateTime.UtcNow < deadline)
            {
                last = await client.GetInstanceAsync(instanceId, cancellationToken: Ct);
                if (last is not null && last.RuntimeStatus.IsTerminal())
                {
                    return last;
                }

                await Task.Delay(100, Ct);
            }

            throw new TimeoutException($"{instanceId} did not finish; last {last?.RuntimeStatus} {last?.SerializedCustomStatus}");
        }

        /// <summary>Polls the stored invoice until it matches (it may not exist yet).</summary>
        public async Task<FeatureInvoice> WaitForInvoiceAsync(string invoiceId, Func<FeatureInvoice, bool> condition)
        {
            var invoices = Get<ITenantRepository<FeatureInvoice>>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            FeatureInvoice? last = null;
            while (DateTime.UtcNow < deadline)
            {
                last = (await invoices.GetAsync(Tenant, invoiceId, Ct))?.Value;
                if (last is not null && condition(last))
                {
                    return last;
                }

                await Task.Delay(100, Ct);
            }

            throw new TimeoutException($"Invoice {invoiceId} did not reach the expected state; last: {last?.Status} after {last?.CollectionAttempts} attempts");
        }

        public async Task<string> NotificationAsync(string subscriptionId, string kind)
        {
            var storage = Get<ServerlessMobility.Storage.AzureStorage.StorageClients>();
            var blob = storage.GetContainer(CaasStores.NotificationsContainer).GetBlobClient($"{Tenant}/{Owner.Subject}/{subscriptionId}.{kind}.json");
            return (await blob.DownloadContentAsync(Ct)).Value.Content.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            Owner?.Dispose();
            Admin?.Dispose();
            if (Vehicle is not null)
            {
                await Vehicle.DisposeAsync();
            }

            await _factory.DisposeAsync();
        }

        private static string NewVin()
        {
            const string Allowed = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
            return "WFTR" + new string([.. Enumerable.Range(0, 13).Select(_ => Allowed[Random.Shared.Next(Allowed.Length)])]);
        }

        private async Task InitializeAsync(PlatformEmulators emulators)
        {
            _ = emulators;
            var ownerId = "owner-" + Vin;
            try
            {
                await Get<ITenantRepository<VehicleModel>>().CreateAsync(Tenant, Model, TestData.Model(Tenant, Model), Ct);
            }
            catch (Core.Http.ConflictException)
            {
                // Seeded by an earlier test against the same emulators.
            }

            await Get<ITenantRepository<Customer>>().CreateAsync(Tenant, ownerId, new Customer(ownerId, Tenant, "Owner", "owner@example.test", "ES", Time.GetUtcNow()), Ct);
            Admin = await ClientAsync("admin-" + Vin, "dealer-admin");
            Owner = new OwnerClient(await ClientAsync(ownerId, "customer"), ownerId);
            using var registered = await Admin.PostAsJsonAsync("/api/vehicles", new { vin = Vin, ownerSubject = ownerId, model = Model }, Ct);
            Assert.True(registered.StatusCode == HttpStatusCode.Created,
                $"Registering {Vin}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync(Ct)}{Environment.NewLine}{_factory.Errors}");

            var port = int.Parse(_factory.Settings["Mqtt:Port"]!, System.Globalization.CultureInfo.InvariantCulture);
            Vehicle = new SimulatedVehicle(IoTHubConnection.Local(Vin, port));
            await Vehicle.ConnectAsync(Ct);
            await Vehicle.SendAsync(new TelemetryBody
            {
                SchemaVersion = 1, Lat = 40.4, Lon = -3.7, SpeedKmh = 0, Heading = 0, OdometerKm = 12000, BatteryPercent = 80,
                Ignition = false, Dtcs = [], FirmwareVersion = "2.6.1", Timestamp = Time.GetUtcNow(),
            }, cancellationToken: Ct);
            await Eventually(async () =>
            {
                var state = await Admin.GetAsync($"/api/vehicles/{Vin}/state", Ct);
                return state.IsSuccessStatusCode && (await state.Content.ReadAsStringAsync(Ct)).Contains("2.6.1", StringComparison.Ordinal) ? "ready" : null;
            });
        }
    }

    /// <summary>The owner's client and subject.</summary>
    private sealed class OwnerClient(HttpClient client, string subject) : IDisposable
    {
        public string Subject { get; } = subject;

        public Task<HttpResponseMessage> PostAsJsonAsync<T>(string path, T body, CancellationToken cancellationToken) => client.PostAsJsonAsync(path, body, cancellationToken);

        public Task<HttpResponseMessage> PostAsync(string path, HttpContent? content, CancellationToken cancellationToken) => client.PostAsync(path, content, cancellationToken);

        public Task<T?> GetFromJsonAsync<T>(string path, CancellationToken cancellationToken) => client.GetFromJsonAsync<T>(path, cancellationToken);

        public Task<T?> GetFromJsonAsync<T>(string path, JsonSerializerOptions options, CancellationToken cancellationToken) => client.GetFromJsonAsync<T>(path, options, cancellationToken);

        public void Dispose() => client.Dispose();
    }
}
