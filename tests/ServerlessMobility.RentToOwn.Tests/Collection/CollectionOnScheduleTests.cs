using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>Plans collected on their due dates by the workflow on the real engine: reminders, charges, completion, early payoff.</summary>
public class CollectionOnScheduleTests(CollectionHost host) : IClassFixture<CollectionHost>
{
    [Fact]
    public async Task Collection_PlanPaidOnTime_OwnershipTransferredAfterLastInstalment()
    {
        var plan = await host.OpenPlanAsync("on-time", instalments: 1);

        var instance = await plan.WaitForCompletionAsync();

        Assert.Equal(CollectionOutcome.OwnershipTransferred, instance.ReadOutputAs<CollectionResult>()!.Outcome);
        var charge = Assert.Single(plan.Charges);
        Assert.True(charge.Result.Succeeded);
        Assert.Equal((10_800m, "KES", $"{plan.Id}:1:0", plan.CustomerId), (charge.Request.Amount, charge.Request.Currency, charge.Request.IdempotencyKey, charge.Request.CustomerId));
        Assert.True(charge.At >= plan.FirstDue - CollectionHost.TimerSkew, $"charged at {charge.At:O}, due {plan.FirstDue:O}");
        var current = await plan.GetAsync();
        Assert.Equal("OwnershipTransferred", current.GetProperty("status").GetString());
        Assert.Equal((10_800m, 0m), (current.GetProperty("paid").GetDecimal(), current.GetProperty("outstanding").GetDecimal()));
        Assert.InRange(current.GetProperty("ownershipTransferredAt").GetDateTimeOffset(), plan.FirstDue - CollectionHost.TimerSkew, charge.At);
        var statement = await plan.StatementAsync();
        Assert.Single(statement.GetProperty("lines").EnumerateArray(), l => l.GetProperty("description").GetString() == $"Payment {charge.Result.ProviderReference}");
        Assert.Equal([NotificationKind.PaymentReminder, NotificationKind.PaymentReceipt, NotificationKind.OwnershipTransferred], plan.Notifications.Select(n => n.Notification.Kind));
        Assert.All(plan.Notifications, n => Assert.Equal(plan.CustomerId, n.Notification.CustomerId));
        Assert.Empty(plan.Commands);
        Assert.Empty(await plan.AgentTasksAsync());
    }

    [Fact]
    public async Task Collection_BeforeDueDate_ReminderOfTheInstalmentSentAtReminderLeadThenCharged()
    {
        var plan = await host.OpenPlanAsync("reminder", instalments: 2);

        // Collecting the second instalment means the first was reminded of and charged.
        await plan.WaitForInstalmentAsync(2);

        var reminder = Assert.Single(plan.NotificationsOf(NotificationKind.PaymentReminder));
        Assert.Equal((5_400m, "KES", plan.FirstDue), (reminder.Notification.Amount, reminder.Notification.Currency, reminder.Notification.DueDate));
        Assert.InRange(reminder.At, plan.FirstDue - CollectionHost.ReminderLead - CollectionHost.TimerSkew, plan.FirstDue);
        var charge = Assert.Single(plan.Charges);
        Assert.Equal(5_400m, charge.Request.Amount);
        Assert.True(charge.At >= plan.FirstDue - CollectionHost.TimerSkew && charge.At > reminder.At, $"reminded at {reminder.At:O}, charged at {charge.At:O}, due {plan.FirstDue:O}");
        var current = await plan.GetAsync();
        Assert.Equal(("Active", 5_400m, 0m), (current.GetProperty("status").GetString(), current.GetProperty("paid").GetDecimal(), current.GetProperty("arrears").GetDecimal()));
    }

    [Fact]
    public async Task Collection_EarlyPayoff_CompletesAtOnceWithoutFurtherCharges()
    {
        var plan = await host.OpenPlanAsync("payoff", instalments: 3);
        await plan.WaitForInstalmentAsync(2);
        var before = DateTimeOffset.UtcNow;

        var receipt = await plan.PayAsync("bank-payoff", 7_200m);

        Assert.Equal("Applied", receipt.GetProperty("result").GetString());
        // The second instalment falls due a day later: completing now means the payment woke the workflow.
        var instance = await plan.WaitForCompletionAsync();
        Assert.Equal(CollectionOutcome.OwnershipTransferred, instance.ReadOutputAs<CollectionResult>()!.Outcome);
        Assert.Equal($"{plan.Id}:1:0", Assert.Single(plan.Charges).Request.IdempotencyKey);
        var current = await plan.GetAsync();
        Assert.Equal(("OwnershipTransferred", 10_800m, 0m), (current.GetProperty("status").GetString(), current.GetProperty("paid").GetDecimal(), current.GetProperty("outstanding").GetDecimal()));
        Assert.InRange(current.GetProperty("ownershipTransferredAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
        Assert.Single(plan.NotificationsOf(NotificationKind.OwnershipTransferred));
        Assert.Empty(plan.NotificationsOf(NotificationKind.PaymentFailed));
    }
}
