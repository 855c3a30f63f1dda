using System.Net;
using ServerlessMobility.RentToOwn.Collection;

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

    [Fact]
    public async Task Collection_ProviderCallbackAfterThePlanWasPaidOff_OperatorTaskOpenedOnceAndNothingBooked()
    {
        var plan = await host.OpenPlanAsync("late", instalments: 2, firstDueIn: TimeSpan.FromSeconds(30));
        Assert.Equal("Applied", (await plan.PayAsync("mpesa-payoff", plan.FinancedTotal)).GetProperty("result").GetString());
        await plan.WaitForCompletionAsync();

        // The provider confirms a payment the customer made twice; it arrives after the plan ended, twice, and once concurrently.
        var first = await plan.PayAsync("mpesa-late", 5_400m);
        var again = await Task.WhenAll(plan.PayAsync("mpesa-late", 5_400m), plan.PayAsync("mpesa-late", 5_400m));

        Assert.All([first, .. again], receipt => Assert.Equal("operatorTaskOpened", receipt.GetProperty("outcome").GetString()));
        var current = await plan.GetAsync();
        Assert.Equal((plan.FinancedTotal, 0m, "OwnershipTransferred"),
            (current.GetProperty("paid").GetDecimal(), current.GetProperty("outstanding").GetDecimal(), current.GetProperty("status").GetString()));
        var admin = await host.Host.TokenAsync("admin-late", plan.TenantId, "admin");
        var listed = await host.Host.SendAsync(HttpMethod.Get, "/api/operator-tasks", admin);
        await host.ExpectAsync(HttpStatusCode.OK, listed);
        var task = Assert.Single((await Http.RentToOwnHost.ReadAsync(listed)).EnumerateArray());
        Assert.Equal(("refund-late-payment", $"plan:{plan.Id}", "mpesa-late", 5_400m, "KES"),
            (task.GetProperty("kind").GetString(), task.GetProperty("subject").GetString(), task.GetProperty("providerReference").GetString(),
             task.GetProperty("amount").GetProperty("amount").GetDecimal(), task.GetProperty("amount").GetProperty("currency").GetString()));

        // Another tenant's operator sees none of it; the opening is in the tenant's audit chain.
        var stranger = await host.Host.TokenAsync("ops-elsewhere", plan.TenantId + "-x", "operator");
        var elsewhere = await host.Host.SendAsync(HttpMethod.Get, "/api/operator-tasks", stranger);
        await host.ExpectAsync(HttpStatusCode.OK, elsewhere);
        Assert.Empty((await Http.RentToOwnHost.ReadAsync(elsewhere)).EnumerateArray());
        var audit = await host.Host.SendAsync(HttpMethod.Get, "/api/admin/audit/records?take=1000", admin);
        await host.ExpectAsync(HttpStatusCode.OK, audit);
        Assert.Single((await Http.RentToOwnHost.ReadAsync(audit)).EnumerateArray(), r => r.GetProperty("action").GetString() == "operator-task.opened");
    }
}
