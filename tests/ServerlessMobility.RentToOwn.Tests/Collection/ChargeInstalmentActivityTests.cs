using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Simulation;
using ServerlessMobility.RentToOwn.Tests.Http;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// The charge activity on the real Cosmos plan store and agent task container, run as the engine would
/// (resolved in a scope of its own), including the re-runs the engine's at-least-once delivery causes.
/// </summary>
public class ChargeInstalmentActivityTests(PlatformEmulators emulators)
{
    private static async Task<ChargeOutcome> RunAsync(RentToOwnHost host, ChargeAttempt attempt)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var activity = scope.ServiceProvider.GetRequiredService<ChargeInstalmentActivity>();
        return await activity.RunAsync(new ActivityContext(CollectionWorkflow.InstanceIdFor(attempt.TenantId, attempt.PlanId)), attempt);
    }

    [Fact]
    public async Task ChargeInstalment_RunTwiceForSameAttempt_ChargesAndBooksOnce()
    {
        await using var host = RentToOwnHost.Start(emulators);
        var store = host.Factory.Services.GetRequiredService<IPaymentPlanStore>();
        var plan = new PlanBuilder().Build(id: "plan-ca1", tenantId: "tenant-ca1");
        await store.CreateAsync(plan, TestContext.Current.CancellationToken);
        var attempt = new ChargeAttempt("tenant-ca1", "plan-ca1", "cust-1", 3_115.38m, "KES", "plan-ca1:1:0", plan.Schedule[0].DueDate);

        var first = await RunAsync(host, attempt);
        var second = await RunAsync(host, attempt);

        Assert.True(first.Succeeded);
        Assert.Equal(first, second);
        Assert.Single(host.Factory.Services.GetRequiredService<SimulatedMobileMoneyGateway>().ChargesFor("tenant-ca1", "plan-ca1"));
        var stored = await store.GetAsync("tenant-ca1", "plan-ca1", TestContext.Current.CancellationToken);
        var payment = Assert.Single(stored!.Payments);
        Assert.Equal((first.ProviderReference, 3_115.38m), (payment.ProviderReference, payment.Amount));
    }

    [Fact]
    public async Task ChargeInstalment_PlanSettledMeanwhile_NotAFailureAndRefundTaskOpened()
    {
        await using var host = RentToOwnHost.Start(emulators);
        var services = host.Factory.Services;
        var store = services.GetRequiredService<IPaymentPlanStore>();
        var plan = new PlanBuilder().Build(id: "plan-ca2", tenantId: "tenant-ca2");
        await store.CreateAsync(plan, TestContext.Current.CancellationToken);
        var due = plan.Schedule[0].DueDate;
        // The customer paid everything off by another channel after the workflow read the arrears.
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PlanPayments>()
                .RecordAsync("tenant-ca2", "plan-ca2", "webhook-payoff", plan.FinancedTotal, due, cancellationToken: TestContext.Current.CancellationToken);
        }

        var outcome = await RunAsync(host, new ChargeAttempt("tenant-ca2", "plan-ca2", "cust-1", 3_115.38m, "KES", "plan-ca2:1:0", due));

        Assert.True(outcome.Succeeded);
        Assert.Equal("refund-pending", outcome.FailureCode);
        var task = Assert.Single(await AgentTasks.ForPlanAsync(services, "tenant-ca2", "plan-ca2"));
        Assert.Contains("refund", task.Reason, StringComparison.Ordinal);
        Assert.Contains(outcome.ProviderReference!, task.Reason, StringComparison.Ordinal);
        var stored = await store.GetAsync("tenant-ca2", "plan-ca2", TestContext.Current.CancellationToken);
        Assert.Equal("webhook-payoff", Assert.Single(stored!.Payments).ProviderReference);
    }

    private sealed class ActivityContext(string instanceId) : TaskActivityContext
    {
        public override TaskName Name => ChargeInstalmentActivity.Name;

        public override string InstanceId => instanceId;
    }
}
