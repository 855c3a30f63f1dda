using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Testing;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// A declined feature invoice charged again on the retry schedule (seconds here, days in production) on the
/// real engine, with fixed 15-second months: paid on a retry, or uncollectible after the last one.
/// </summary>
public sealed class FeatureInvoiceCollectionEndToEndTests(PlatformEmulators emulators)
{
    private const string Tenant = FeatureWorld.Tenant;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<FeatureWorld> StartAsync(string retrySchedule) =>
        FeatureWorld.StartAsync(emulators, new Dictionary<string, string>
        {
            ["CarAsAService:Features:MonthLength"] = "00:00:15",
            ["CarAsAService:Features:InvoiceRetrySchedule"] = retrySchedule,
        });

    [Fact]
    public async Task OpenEnded_CardDeclinedAtMonthEnd_ChargedAgainOnTheScheduleWithFreshKeysUntilPaid()
    {
        await using var world = await StartAsync("00:00:03,00:00:06,00:00:09");
        var active = await world.ActivateOpenEndedAsync("heated-seats");
        var cards = world.Get<SimulatedCardPayments>();
        cards.DeclinedCustomers[world.OwnerId] = true;

        var periodEnd = world.Calendar.MonthEnd(active.ActivatedAt!.Value);
        var invoiceId = world.InvoiceIdFor(active.ActivatedAt.Value);
        var declined = await world.WaitForInvoiceAsync(invoiceId, i => i.CollectionAttempts == 1, "declined once");
        Assert.Equal((FeatureInvoiceStatus.PaymentFailed, "card-declined"), (declined.Status, declined.FailureCode));
        Assert.Contains("could not be collected", await world.NotificationAsync(invoiceId, "failed.1"), StringComparison.Ordinal);

        // Nothing more is tried before the first retry date: the workflow waits for it.
        var waiting = await world.WaitForBillingStatusAsync(s => s.GetProperty("stage").GetString() == "collecting", "collecting");
        var retryAt = waiting.GetProperty("retryAt").GetDateTimeOffset();
        Assert.Equal((periodEnd.AddSeconds(3), 2), (retryAt, waiting.GetProperty("attempt").GetInt32()));
        if (DateTimeOffset.UtcNow < retryAt)
        {
            Assert.Single(world.ChargesOf(invoiceId));
        }

        await world.WaitForInvoiceAsync(invoiceId, i => i.CollectionAttempts == 2, "declined twice");

        // The customer sees the unpaid invoice in the purchase record.
        var record = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/customers/{world.OwnerId}/purchase-record", Ct);
        var shown = record.GetProperty("featureInvoices").EnumerateArray().Single(i => i.GetProperty("id").GetString() == invoiceId);
        Assert.Equal(("PaymentFailed", 2), (shown.GetProperty("status").GetString(), shown.GetProperty("collectionAttempts").GetInt32()));

        cards.DeclinedCustomers.TryRemove(world.OwnerId, out _);
        var paid = await world.WaitForInvoiceAsync(invoiceId, i => i.Status == FeatureInvoiceStatus.Paid, "paid");

        Assert.Equal(3, paid.CollectionAttempts);
        var charges = world.ChargesOf(invoiceId);
        Assert.Equal([$"feature-invoice:{invoiceId}", $"feature-invoice:{invoiceId}:2", $"feature-invoice:{invoiceId}:3"], charges.Select(c => c.IdempotencyKey));
        Assert.All(charges, c => Assert.Equal(paid.Gross, c.Amount));
        Assert.Equal("ch_" + charges[^1].IdempotencyKey, paid.ProviderReference);

        // Paid, the workflow goes on to the next month: the last retry date charges nothing.
        var nextMonth = await world.WaitForBillingStatusAsync(
            s => s.GetProperty("stage").GetString() == "waiting" && s.GetProperty("period").GetDateTimeOffset() == periodEnd, "waiting for the next month");
        Assert.Equal(periodEnd.AddSeconds(15), nextMonth.GetProperty("billsAt").GetDateTimeOffset());
        Assert.Equal(3, world.ChargesOf(invoiceId).Count);
        Assert.Equal(FeatureSubscriptionState.Active, (await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Active)).State);
    }

    [Fact]
    public async Task OpenEnded_EveryAttemptDeclined_InvoiceUncollectibleWithASupportCase_RepeatedAttemptsChargeNothing()
    {
        await using var world = await StartAsync("00:00:02,00:00:04,00:00:06");
        var active = await world.ActivateOpenEndedAsync("heated-seats");
        world.Get<SimulatedCardPayments>().DeclinedCustomers[world.OwnerId] = true;

        var invoiceId = world.InvoiceIdFor(active.ActivatedAt!.Value);
        var given = await world.WaitForInvoiceAsync(invoiceId, i => i.Status == FeatureInvoiceStatus.Uncollectible, "uncollectible");

        Assert.Equal(4, given.CollectionAttempts);
        Assert.Equal(Enumerable.Range(1, 4).Select(n => n == 1 ? $"feature-invoice:{invoiceId}" : $"feature-invoice:{invoiceId}:{n}"),
            world.ChargesOf(invoiceId).Select(c => c.IdempotencyKey));
        var supportCase = await Eventually.UntilAsync(() => world.Get<IDocumentStore>().GetAsync($"{Tenant}/support-cases/{invoiceId}.uncollectible.json", Ct),
            c => c is not null, "the support case");
        Assert.Contains("declined 4 times", Encoding.UTF8.GetString(supportCase!), StringComparison.Ordinal);
        Assert.Contains("our team will contact you", await world.NotificationAsync(invoiceId, "uncollectible"), StringComparison.Ordinal);

        // A repeated delivery of any attempt, or a late one, charges nothing once the invoice is settled one way or the other.
        var collector = world.Get<FeatureInvoiceCollector>();
        Assert.Equal(FeatureInvoiceStatus.Uncollectible, (await collector.CollectAsync(Tenant, invoiceId, 2, Ct)).Status);
        Assert.Equal(FeatureInvoiceStatus.Uncollectible, (await collector.CollectAsync(Tenant, invoiceId, 5, Ct)).Status);
        Assert.Equal(4, world.ChargesOf(invoiceId).Count);

        // The feature stays on: a person settles the debt with the customer.
        Assert.Equal(["heated-seats"], world.Vehicle.ActiveFeatures);

        // The customer pays by bank transfer; the dealership's admin records it, once.
        var settlement = $"/api/customers/{world.OwnerId}/feature-invoices/{invoiceId}/settlement";
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
        Assert.Equal(4, world.ChargesOf(invoiceId).Count);
        Assert.Contains("TR-2026-0042", await world.NotificationAsync(invoiceId, "paid"), StringComparison.Ordinal);
    }
}
