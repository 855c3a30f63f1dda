using System.Net;
using System.Text.Json;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Testing;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// Billing that spends a while collecting a declined invoice goes on with the next month, so a feature bought
/// meanwhile is billed (a class of its own: it waits for two 20-second months).
/// </summary>
public sealed class FeatureBillingDuringCollectionEndToEndTests(PlatformEmulators emulators)
{
    // A purchase and its cancellation take a few seconds on a loaded machine: they must fall in one month.
    private static readonly TimeSpan Room = TimeSpan.FromSeconds(14);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<FeatureWorld> StartAsync(string retrySchedule) =>
        FeatureWorld.StartAsync(emulators, new Dictionary<string, string>
        {
            ["CarAsAService:Features:MonthLength"] = "00:00:20",
            ["CarAsAService:Features:InvoiceRetrySchedule"] = retrySchedule,
        });

    [Fact]
    public async Task OpenEnded_BoughtWhileTheLastInvoiceIsStillBeingCollected_BilledTheNextMonth()
    {
        await using var world = await StartAsync("00:00:05,00:00:10,00:00:15");
        await world.WaitForRoomInMonthAsync(Room);
        var first = await world.ActivateOpenEndedAsync("heated-seats");
        var cards = world.Get<SimulatedCardPayments>();
        cards.DeclinedChargeCustomers[world.OwnerId] = true;
        using (var cancel = await world.CancelAsync("heated-seats"))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Cancelled);

        // The month is billed with nothing open any more, and its invoice is declined: collection goes on.
        var firstInvoice = world.InvoiceIdFor(first.ActivatedAt!.Value);
        await world.WaitForInvoiceAsync(firstInvoice, i => i.CollectionAttempts == 1, "declined once");

        // Meanwhile the customer buys another open-ended feature (the card holds it); its activation finds the billing instance collecting.
        await world.AddFeatureAsync("extra-range");
        using (var purchase = await world.PurchaseAsync("extra-range", "OpenEndedMonthly"))
        {
            Assert.Equal(HttpStatusCode.Accepted, purchase.StatusCode);
        }

        var second = await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Active);
        var status = JsonDocument.Parse((await world.Workflows.GetInstanceAsync(world.BillingInstanceId, Ct))!.SerializedCustomStatus!).RootElement;
        Assert.Equal("collecting", status.GetProperty("stage").GetString());
        cards.DeclinedChargeCustomers.TryRemove(world.OwnerId, out _);
        await world.WaitForInvoiceAsync(firstInvoice, i => i.Status == FeatureInvoiceStatus.Paid, "paid on a retry");

        // The next month is billed, with the feature bought during the collection.
        var next = await world.WaitForInvoiceAsync(world.InvoiceIdFor(second.ActivatedAt!.Value), i => i.Status == FeatureInvoiceStatus.Paid, "of the next month paid");
        var line = Assert.Single(next.Lines);
        Assert.Equal((second.Id, second.ActivatedAt.Value), (line.SubscriptionId, line.From));
        Assert.Equal(world.Calendar.MonthEnd(first.ActivatedAt.Value), next.PeriodStart);
    }
}
