using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Simulation;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>Declined charges on the real engine: retries on the schedule, default after the grace period.</summary>
public class CollectionDunningTests(CollectionHost host) : IClassFixture<CollectionHost>
{
    [Fact]
    public async Task Collection_ChargeDeclinedTwiceThenApprovedOnLastRetry_NoDefaultAndPlanCompletes()
    {
        var plan = await host.OpenPlanAsync("recovered", instalments: 1);
        host.Gateway.DeclineNext(plan.TenantId, plan.Id, 2);

        await plan.WaitForCompletionAsync();

        var charges = plan.Charges;
        Assert.Equal([$"{plan.Id}:1:0", $"{plan.Id}:1:1", $"{plan.Id}:1:2"], charges.Select(c => c.Request.IdempotencyKey));
        Assert.Equal([false, false, true], charges.Select(c => c.Result.Succeeded));
        Assert.Equal(SimulatedMobileMoneyGateway.DeclinedCode, charges[0].Result.FailureCode);
        Assert.All(charges, c => Assert.Equal(10_800m, c.Request.Amount));
        TimeSpan[] offsets = [TimeSpan.Zero, CollectionHost.FirstRetry, CollectionHost.SecondRetry];
        Assert.All(charges.Zip(offsets), c => Assert.True(c.First.At >= plan.FirstDue + c.Second - CollectionHost.TimerSkew,
            $"attempt {c.First.Request.IdempotencyKey} at {c.First.At:O}, due {plan.FirstDue:O}"));
        var failed = plan.NotificationsOf(NotificationKind.PaymentFailed);
        Assert.Equal(2, failed.Count);
        Assert.All(failed, n => Assert.Equal(10_800m, n.Notification.Amount));
        Assert.Empty(plan.NotificationsOf(NotificationKind.Defaulted));
        Assert.Empty(await plan.AgentTasksAsync());
        Assert.Empty(plan.MotionReads);
        Assert.Empty(plan.Commands);
        var current = await plan.GetAsync();
        Assert.Equal("OwnershipTransferred", current.GetProperty("status").GetString());
        Assert.True(current.GetProperty("ownershipTransferredAt").GetDateTimeOffset() >= plan.FirstDue + CollectionHost.SecondRetry - CollectionHost.TimerSkew);
    }

    [Fact]
    public async Task Collection_ContractForbidsImmobilization_DefaultsAfterGraceWithoutLookingAtOrCommandingTheVehicle()
    {
        // Standing still: were the contract ignored, this vehicle would be immobilized.
        var plan = await host.OpenPlanAsync("no-immobilize", instalments: 1, allowsImmobilization: false, speedKmh: 0);
        host.Gateway.DeclineAll(plan.TenantId, plan.Id);

        // The defaulted stage is reported after the immobilization decision.
        var status = await plan.WaitForStageAsync(s => s.GetProperty("stage").GetString() == "defaulted", "defaulted");

        Assert.False(status.GetProperty("immobilized").GetBoolean());
        Assert.Equal(10_800m, status.GetProperty("arrears").GetDecimal());
        Assert.Empty(plan.MotionReads);
        Assert.Empty(plan.Commands);
        Assert.Equal(3, plan.Charges.Count);
        Assert.All(plan.Charges, c => Assert.False(c.Result.Succeeded));
        var defaulted = Assert.Single(plan.NotificationsOf(NotificationKind.Defaulted));
        Assert.True(defaulted.At >= plan.FirstDue + CollectionHost.GracePeriod - CollectionHost.TimerSkew, $"defaulted at {defaulted.At:O}, due {plan.FirstDue:O}");
        var task = Assert.Single(await plan.AgentTasksAsync());
        Assert.Equal(plan.VehicleId, task.VehicleId);
        var current = await plan.GetAsync();
        Assert.Equal(("Defaulted", 10_800m), (current.GetProperty("status").GetString(), current.GetProperty("arrears").GetDecimal()));
    }
}
