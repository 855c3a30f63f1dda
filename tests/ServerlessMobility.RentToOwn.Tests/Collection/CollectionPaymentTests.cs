using ServerlessMobility.Core.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>Payments that reach the plan outside the workflow's charges (the customer paying, provider callbacks) on the real engine.</summary>
public class CollectionPaymentTests(CollectionHost host) : IClassFixture<CollectionHost>
{
    [Fact]
    public async Task Collection_PartialPaymentBeforeDueDate_RemindsOfAndChargesOnlyTheRest()
    {
        var plan = await host.OpenPlanAsync("partial", instalments: 2, firstDueIn: TimeSpan.FromSeconds(9));

        var receipt = await plan.PayAsync("cash-1", 1_000m);

        Assert.Equal("Applied", receipt.GetProperty("result").GetString());
        await plan.WaitForInstalmentAsync(2);
        var charge = Assert.Single(plan.Charges);
        Assert.Equal((4_400m, $"{plan.Id}:1:0"), (charge.Request.Amount, charge.Request.IdempotencyKey));
        Assert.Equal(4_400m, Assert.Single(plan.NotificationsOf(NotificationKind.PaymentReminder)).Notification.Amount);
        var current = await plan.GetAsync();
        Assert.Equal((5_400m, 0m, 5_400m), (current.GetProperty("paid").GetDecimal(), current.GetProperty("arrears").GetDecimal(), current.GetProperty("outstanding").GetDecimal()));
    }

    [Fact]
    public async Task Collection_DuplicateProviderCallbacks_CountedOnceAndInstalmentNotCharged()
    {
        var plan = await host.OpenPlanAsync("duplicates", instalments: 2);

        // The provider delivers its confirmation three times, all at once.
        var receipts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => plan.PayAsync("mpesa-1", 5_400m)));

        Assert.Equal(["Applied", "Duplicate", "Duplicate"], receipts.Select(r => r.GetProperty("result").GetString()).Order());
        await plan.WaitForInstalmentAsync(2);
        Assert.Empty(plan.Charges);
        var current = await plan.GetAsync();
        Assert.Equal((5_400m, 5_400m), (current.GetProperty("paid").GetDecimal(), current.GetProperty("outstanding").GetDecimal()));
        var statement = await plan.StatementAsync();
        Assert.Single(statement.GetProperty("lines").EnumerateArray(), l => l.GetProperty("description").GetString()!.StartsWith("Payment ", StringComparison.Ordinal));
    }
}
