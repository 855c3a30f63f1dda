using ServerlessMobility.Core.RentToOwn.Collection;
using ServerlessMobility.Core.RentToOwn.Plans;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

public class CollectionWorkflowTests
{
    private static List<ChargeRequest> ChargesFor(CollectionScenario scenario, int number) =>
        scenario.Gateway.Requests.Where(r => r.IdempotencyKey.Contains($":{number}:", StringComparison.Ordinal)).ToList();

    private static IEnumerable<(DateTimeOffset At, string Input)> CallsOf(CollectionScenario scenario, string activity) =>
        scenario.Harness.Calls.Where(c => c.Name == activity).Select(c => (c.At, c.Input));

    [Fact]
    public async Task RunAsync_WeeklyPlanPaidOnTime_OwnershipTransferredAfterLastInstalment()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());

        var result = await scenario.RunAsync();

        Assert.Equal(CollectionOutcome.OwnershipTransferred, result!.Outcome);
        var plan = scenario.Current;
        Assert.Equal(PlanStatus.OwnershipTransferred, plan.Status);
        Assert.Equal(plan.Schedule[^1].DueDate, plan.OwnershipTransferredAt);
        Assert.Equal(52, plan.Payments.Count);
        Assert.Equal(plan.Schedule.Select(i => i.Amount), plan.Payments.Select(p => p.Amount));
        Assert.Equal(plan.Schedule.Select(i => i.DueDate), plan.Payments.Select(p => p.ReceivedAt));
        Assert.Equal(52, scenario.Notifier.Sent.Count(n => n.Kind == NotificationKind.PaymentReminder));
        Assert.All(scenario.Notifier.Sent.Where(n => n.Kind == NotificationKind.PaymentReminder), n => Assert.Equal("cust-1", n.CustomerId));
        Assert.Single(scenario.Notifier.Sent, n => n.Kind == NotificationKind.OwnershipTransferred);
        Assert.DoesNotContain(scenario.Notifier.Sent, n => n.Kind is NotificationKind.PaymentFailed or NotificationKind.Defaulted);
        Assert.Empty(scenario.Vehicle.Commands);
        // Continue-as-new per instalment keeps every execution's history to one instalment.
        Assert.InRange(scenario.Harness.Executions, 52, 53);
    }

    [Fact]
    public async Task RunAsync_RemindersBeforeDueDate_SentAtReminderLead()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());

        await scenario.RunAsync();

        var reminders = CallsOf(scenario, NotifyCustomerActivity.Name).Where(c => c.Input.Contains("\"kind\":\"PaymentReminder\"", StringComparison.Ordinal) || c.Input.Contains("\"kind\":0", StringComparison.Ordinal)).ToList();
        Assert.Equal(52, reminders.Count);
        Assert.Equal(scenario.Plan.Schedule.Select(i => i.DueDate - scenario.Options.ReminderLead), reminders.Select(r => r.At));
    }

    [Fact]
    public async Task RunAsync_FailureRecoveredOnSecondRetry_NoDefaultAndPlanCompletes()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        scenario.Gateway.Approve = r => !CollectionScenario.Attempt(r, 3, 0) && !CollectionScenario.Attempt(r, 3, 1);
        var due3 = scenario.Plan.Schedule[2].DueDate;

        var result = await scenario.RunAsync();

        Assert.Equal(CollectionOutcome.OwnershipTransferred, result!.Outcome);
        var charges = CallsOf(scenario, ChargeInstalmentActivity.Name).Where(c => c.Input.Contains(":3:", StringComparison.Ordinal)).Select(c => c.At).ToList();
        Assert.Equal([due3, due3.AddDays(1), due3.AddDays(3)], charges);
        Assert.Equal(2, scenario.Notifier.Sent.Count(n => n.Kind == NotificationKind.PaymentFailed));
        Assert.Equal(due3.AddDays(3), scenario.Current.Payments[2].ReceivedAt);
        Assert.Empty(scenario.AgentTasks.Tasks);
        Assert.Empty(scenario.Vehicle.Commands);
    }

    [Fact]
    public async Task RunAsync_DefaultAfterGrace_ImmobilizesOnlyWhenStationaryAndMobilizesAfterArrearsPaid()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        scenario.Gateway.Approve = r => !r.IdempotencyKey.Contains(":5:", StringComparison.Ordinal);
        var due5 = scenario.Plan.Schedule[4].DueDate;
        var graceEnd = due5 + scenario.Options.GracePeriod;
        var stopsAt = graceEnd.AddHours(2);
        var paysAt = graceEnd.AddDays(3);
        scenario.MotionAt(due5.AddDays(6), 42);
        scenario.MotionAt(stopsAt, 0);
        scenario.CallbackAt(paysAt, "mpesa-arrears", plan => plan.Arrears(paysAt));

        var result = await scenario.RunAsync();

        Assert.Equal(CollectionOutcome.OwnershipTransferred, result!.Outcome);
        Assert.Equal(4, ChargesFor(scenario, 5).Count);
        var defaultCall = Assert.Single(CallsOf(scenario, DeclareDefaultActivity.Name));
        Assert.Equal(graceEnd, defaultCall.At);
        var task = Assert.Single(scenario.AgentTasks.Tasks.Values);
        Assert.Equal(("plan-1", "veh-1"), (task.PlanId, task.VehicleId));
        Assert.Single(scenario.Notifier.Sent, n => n.Kind == NotificationKind.Defaulted);

        // While the vehicle moved it was looked at again and again, never stopped.
        var motionChecks = CallsOf(scenario, GetVehicleMotionActivity.Name).Select(c => c.At).ToList();
        Assert.True(motionChecks.Count(at => at < stopsAt) >= 3, $"checks before stopping: {motionChecks.Count(at => at < stopsAt)}");
        var commands = CallsOf(scenario, SendVehicleCommandActivity.Name).ToList();
        Assert.Equal(["immobilize", "mobilize"], scenario.Vehicle.Commands);
        Assert.InRange(commands[0].At, stopsAt, stopsAt + scenario.Options.StationaryRecheckInterval);
        Assert.Equal(paysAt, commands[1].At);
        Assert.Single(scenario.Notifier.Sent, n => n.Kind == NotificationKind.Reinstated);
        Assert.Equal(0m, scenario.Current.Outstanding);
    }

    [Fact]
    public async Task RunAsync_ContractForbidsImmobilization_DefaultsWithoutCommand()
    {
        var scenario = new CollectionScenario(new PlanBuilder().With(t => t with { AllowsImmobilization = false }).Build());
        scenario.Gateway.Approve = r => !r.IdempotencyKey.Contains(":2:", StringComparison.Ordinal);
        var due2 = scenario.Plan.Schedule[1].DueDate;

        var result = await scenario.RunAsync(stopAt: due2.AddDays(30));

        Assert.Null(result);
        Assert.Equal(PlanStatus.Defaulted, scenario.Current.Status);
        Assert.Single(scenario.AgentTasks.Tasks);
        Assert.Empty(scenario.Vehicle.Commands);
        Assert.Empty(CallsOf(scenario, GetVehicleMotionActivity.Name));
    }

    [Fact]
    public async Task RunAsync_EarlyPayoff_CompletesAtPayoffWithoutFurtherCharges()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        var payoffAt = scenario.Plan.Schedule[9].DueDate.AddDays(3);
        scenario.CallbackAt(payoffAt, "bank-payoff", plan => plan.Outstanding);

        var result = await scenario.RunAsync();

        Assert.Equal(CollectionOutcome.OwnershipTransferred, result!.Outcome);
        Assert.Equal(payoffAt, scenario.Current.OwnershipTransferredAt);
        Assert.Equal(10, scenario.Gateway.Requests.Count);
        Assert.All(scenario.Harness.Calls, c => Assert.True(c.At <= payoffAt));
        Assert.Equal(payoffAt, scenario.Harness.CurrentUtcDateTime);
    }

    [Fact]
    public async Task RunAsync_PartialPaymentBeforeDueDate_ChargesOnlyTheRest()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        var due1 = scenario.Plan.Schedule[0].DueDate;
        scenario.CallbackAt(due1.AddDays(-1), "cash-1", _ => 1_000m);

        var result = await scenario.RunAsync();

        Assert.Equal(CollectionOutcome.OwnershipTransferred, result!.Outcome);
        Assert.Equal(2_115.38m, ChargesFor(scenario, 1).Single().Amount);
    }

    [Fact]
    public async Task RunAsync_DuplicateProviderCallbacks_CountedOnceAndHarmless()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        var due4 = scenario.Plan.Schedule[3].DueDate;
        var amount4 = scenario.Plan.Schedule[3].Amount;
        scenario.CallbackAt(due4.AddDays(-1), "mpesa-4", _ => amount4);
        scenario.CallbackAt(due4.AddDays(-1).AddMinutes(1), "mpesa-4", _ => amount4);
        scenario.CallbackAt(due4.AddDays(-1).AddMinutes(2), "mpesa-4", _ => amount4);

        var result = await scenario.RunAsync();

        Assert.Equal(CollectionOutcome.OwnershipTransferred, result!.Outcome);
        Assert.Single(scenario.Current.Payments, p => p.ProviderReference == "mpesa-4");
        Assert.Empty(ChargesFor(scenario, 4));
        Assert.Equal(51, scenario.Gateway.Requests.Count);
        Assert.Equal(scenario.Plan.FinancedTotal, scenario.Current.TotalPaid);
    }

    [Fact]
    public async Task ChargeActivity_RunTwiceForSameAttempt_ChargesAndBooksOnce()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        var activity = new ChargeInstalmentActivity(scenario.Gateway, scenario.Payments, scenario.AgentTasks);
        var attempt = new ChargeAttempt("tenant-a", "plan-1", "cust-1", 3_115.38m, "KES", "plan-1:1:0", scenario.Plan.Schedule[0].DueDate);
        var context = new ActivityContext(ChargeInstalmentActivity.Name, "i", 1);

        var first = await activity.RunAsync(context, attempt, CancellationToken.None);
        var second = await activity.RunAsync(context, attempt, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Single(scenario.Gateway.Requests);
        Assert.Single(scenario.Current.Payments);
    }

    [Fact]
    public async Task ChargeActivity_PlanSettledMeanwhile_NotAFailureAndRefundTaskOpened()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        var due = scenario.Plan.Schedule[0].DueDate;
        await scenario.Payments.RecordAsync("tenant-a", "plan-1", "webhook-payoff", scenario.Plan.FinancedTotal, due, cancellationToken: TestContext.Current.CancellationToken);
        var activity = new ChargeInstalmentActivity(scenario.Gateway, scenario.Payments, scenario.AgentTasks);

        var outcome = await activity.RunAsync(new ActivityContext(ChargeInstalmentActivity.Name, "i", 1),
            new ChargeAttempt("tenant-a", "plan-1", "cust-1", 3_115.38m, "KES", "plan-1:1:0", due), CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal("refund-pending", outcome.FailureCode);
        Assert.Contains("refund", Assert.Single(scenario.AgentTasks.Tasks.Values).Reason, StringComparison.Ordinal);
        Assert.Single(scenario.Current.Payments);
    }

    [Fact]
    public void CollectionWorkflow_Source_ReadsNoClockGuidOrRandomness()
    {
        // Replay determinism: the workflow may take time and ids only from its context.
        var source = File.ReadAllText(ServerlessMobility.Testing.RepositoryPaths.InRoot("functions", "ServerlessMobility.Core", "RentToOwn", "Collection", "CollectionWorkflow.cs"));

        foreach (var forbidden in new[] { "DateTime.", "DateTimeOffset.UtcNow", "DateTimeOffset.Now", "Guid.NewGuid", "new Random", "Random.Shared", "TimeProvider", "Task.Delay", "Thread.Sleep" })
        {
            Assert.DoesNotContain(forbidden, source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_VehicleRefusesImmobilize_RetriedThenSucceeds()
    {
        var scenario = new CollectionScenario(new PlanBuilder().Build());
        scenario.Gateway.Approve = r => !r.IdempotencyKey.Contains(":1:", StringComparison.Ordinal);
        scenario.Vehicle.Status = 503;
        var graceEnd = scenario.Plan.Schedule[0].DueDate + scenario.Options.GracePeriod;
        scenario.Harness.At(graceEnd.AddMinutes(1), () => scenario.Vehicle.Status = 200);

        var result = await scenario.RunAsync(stopAt: graceEnd.AddDays(2));

        Assert.Null(result);
        Assert.True(scenario.Vehicle.Commands.Count >= 2);
        Assert.All(scenario.Vehicle.Commands, c => Assert.Equal("immobilize", c));
        Assert.Equal(PlanStatus.Defaulted, scenario.Current.Status);
    }
}
