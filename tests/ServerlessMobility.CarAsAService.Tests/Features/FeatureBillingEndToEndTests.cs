using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Testing;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// Open-ended features billed monthly in arrears by the customer's billing workflow on the real engine, with
/// fixed 20-second months (CarAsAService:Features:MonthLength) so a month ends while the test waits.
/// </summary>
public sealed class FeatureBillingEndToEndTests(PlatformEmulators emulators)
{
    private const string Tenant = FeatureWorld.Tenant;
    // A purchase and its cancellation take a few seconds on a loaded machine: they must fall in one month.
    private static readonly TimeSpan Room = TimeSpan.FromSeconds(14);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<FeatureWorld> StartAsync(string retrySchedule = "00:00:03,00:00:06,00:00:09") =>
        FeatureWorld.StartAsync(emulators, new Dictionary<string, string>
        {
            ["CarAsAService:Features:MonthLength"] = "00:00:20",
            ["CarAsAService:Features:InvoiceRetrySchedule"] = retrySchedule,
        });

    [Fact]
    public async Task OpenEnded_CancelledByTheCustomer_SwitchedOffAndTheMonthBilledProRataInArrears()
    {
        await using var world = await StartAsync();
        await world.WaitForRoomInMonthAsync(Room);
        var active = await world.ActivateOpenEndedAsync("heated-seats");
        Assert.Equal(["authorize", "void"], world.CallsFor(active).Select(c => c.Operation)); // billed in arrears: the hold is released
        var billing = await world.WaitForBillingStatusAsync(s => s.GetProperty("stage").GetString() == "waiting", "waiting for the month's end");
        Assert.Equal(world.Calendar.MonthEnd(active.ActivatedAt!.Value), billing.GetProperty("billsAt").GetDateTimeOffset());

        using var early = await world.CancelAsync("heated-seats");
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        var cancelled = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Cancelled);
        Assert.Empty(world.Vehicle.ActiveFeatures);
        using var again = await world.CancelAsync("heated-seats");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // The month ends: the billing workflow invoices the time the feature was usable and collects it.
        var periodStart = world.Calendar.MonthStart(active.ActivatedAt.Value);
        var periodEnd = world.Calendar.MonthEnd(periodStart);
        Assert.True(cancelled.EndedAt < periodEnd, "the cancellation fell in the month of the activation");
        var invoiceId = world.InvoiceIdFor(active.ActivatedAt.Value);
        var idle = await world.WaitForBillingStatusAsync(s => s.GetProperty("stage").GetString() == "idle", "idle: nothing open-ended is left");
        Assert.Equal(periodStart, idle.GetProperty("lastPeriod").GetDateTimeOffset());
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await world.Workflows.GetInstanceAsync(world.BillingInstanceId, Ct))!.RuntimeStatus);
        var invoice = await world.WaitForInvoiceAsync(invoiceId, i => i.Status == FeatureInvoiceStatus.Paid, "paid");
        Assert.True(invoice.IssuedAt >= periodEnd, $"issued at {invoice.IssuedAt:O}, before the month ended at {periodEnd:O}");

        var line = Assert.Single(invoice.Lines);
        var share = (decimal)(cancelled.EndedAt!.Value - active.ActivatedAt.Value).Ticks / (periodEnd - periodStart).Ticks;
        Assert.Equal((active.ActivatedAt.Value, cancelled.EndedAt.Value), (line.From, line.To));
        Assert.Equal(Math.Round(100m * share, 2, MidpointRounding.AwayFromZero), line.Net.Amount);
        Assert.True(line.Net.Amount is > 0m and < 100m, $"a part of the month: {line.Net.Amount}");
        Assert.Equal(line.Net.Amount + Math.Round(line.Net.Amount * 0.21m, 2, MidpointRounding.AwayFromZero), invoice.Gross.Amount);
        Assert.Equal((periodStart, periodEnd), (invoice.PeriodStart, invoice.PeriodEnd));
        var charge = Assert.Single(world.Calls(), c => c.Operation == "charge");
        Assert.Equal((invoiceId, invoice.Gross), (charge.Reference, charge.Amount));
        Assert.All(invoice.DocumentPaths, path => Assert.StartsWith($"{Tenant}/customers/{world.OwnerId}/feature-invoices/", path, StringComparison.Ordinal));
        Assert.NotNull(await world.Get<IDocumentStore>().GetAsync(invoice.DocumentPaths[1], Ct));

        // The customer's purchase record links the invoice documents and the feature's history.
        var record = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/customers/{world.OwnerId}/purchase-record", Ct);
        Assert.Equal(invoice.DocumentPaths.Order(StringComparer.Ordinal), record.GetProperty("documents").EnumerateArray()
            .Where(d => d.GetProperty("kind").GetString() == "feature-invoice").Select(d => d.GetProperty("blobPath").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("Cancelled", record.GetProperty("features").EnumerateArray().Single().GetProperty("state").GetString());

        // The next open-ended activation wakes the idle instance up: it bills from the month of that activation.
        var next = await world.ActivateOpenEndedAsync("extra-range");
        var waiting = await world.WaitForBillingStatusAsync(s => s.GetProperty("stage").GetString() == "waiting"
            && s.GetProperty("period").GetDateTimeOffset() == world.Calendar.MonthStart(next.ActivatedAt!.Value), "waiting for the month of the next activation");
        Assert.Equal(world.Calendar.MonthEnd(next.ActivatedAt!.Value), waiting.GetProperty("billsAt").GetDateTimeOffset());
    }
}
