using System.Text.Json;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>Defaulted plans on the real engine: immobilizing only a standing vehicle, mobilizing once the arrears are paid.</summary>
public class CollectionDefaultTests(CollectionHost host) : IClassFixture<CollectionHost>
{
    [Fact]
    public async Task Collection_DefaultAfterGrace_ImmobilizesOnlyOnceStationaryAndMobilizesWhenArrearsPaid()
    {
        var plan = await host.OpenPlanAsync("default", instalments: 2, speedKmh: 42);
        host.Gateway.DeclineAll(plan.TenantId, plan.Id);

        // While it moves, the vehicle is looked at again and again, and never stopped.
        await plan.WaitForAsync(() => (plan.MotionReads, plan.Commands), seen => seen.MotionReads.Count >= 3 || seen.Commands.Count > 0,
            "three looks at the moving vehicle");
        Assert.Empty(plan.Commands);
        var stoppedAt = DateTimeOffset.UtcNow;
        host.Vehicles.Set(plan.TenantId, plan.VehicleId, 0);

        var immobilize = (await plan.WaitForAsync(() => plan.Commands, c => c.Count >= 1, "a command to the vehicle"))[0];
        Assert.Equal((SendVehicleCommandActivity.Immobilize, 200), (immobilize.Method, immobilize.Status));
        Assert.True(immobilize.At >= stoppedAt, $"immobilized at {immobilize.At:O}, stopped at {stoppedAt:O}");
        Assert.All(plan.MotionReads.Where(r => r.At < stoppedAt), r => Assert.Equal(42, r.Motion!.SpeedKmh));
        Assert.Equal(3, plan.Charges.Count(c => !c.Result.Succeeded));
        var defaulted = Assert.Single(plan.NotificationsOf(NotificationKind.Defaulted));
        Assert.True(defaulted.At >= plan.FirstDue + CollectionHost.GracePeriod - CollectionHost.TimerSkew, $"defaulted at {defaulted.At:O}, due {plan.FirstDue:O}");
        var task = Assert.Single(await plan.AgentTasksAsync());
        Assert.Equal(plan.VehicleId, task.VehicleId);
        var current = await plan.GetAsync();
        Assert.Equal(("Defaulted", 5_400m), (current.GetProperty("status").GetString(), current.GetProperty("arrears").GetDecimal()));
        await plan.WaitForStageAsync(s => s.TryGetProperty("immobilized", out var i) && i.GetBoolean(), "immobilized");

        await plan.PayAsync("mpesa-arrears", 5_400m);

        var commands = await plan.WaitForAsync(() => plan.Commands, c => c.Count >= 2, "the vehicle mobilized");
        Assert.Equal([SendVehicleCommandActivity.Immobilize, SendVehicleCommandActivity.Mobilize], commands.Select(c => c.Method));
        await plan.WaitForInstalmentAsync(2);
        Assert.Single(plan.NotificationsOf(NotificationKind.Reinstated));
        current = await plan.GetAsync();
        Assert.Equal(("Active", 0m), (current.GetProperty("status").GetString(), current.GetProperty("arrears").GetDecimal()));
        Assert.Single(await plan.AgentTasksAsync());
    }

    [Fact]
    public async Task Collection_VehicleRefusesImmobilize_SameCommandRetriedUntilAccepted()
    {
        var plan = await host.OpenPlanAsync("refuses", instalments: 1, speedKmh: 0);
        host.Gateway.DeclineAll(plan.TenantId, plan.Id);
        host.VehicleCommands.RefuseNext(plan.VehicleId, 2);

        var commands = await plan.WaitForAsync(() => plan.Commands, c => c.Any(command => command.Status == 200), "the vehicle to accept a command");

        Assert.Equal([503, 503, 200], commands.Select(c => c.Status));
        Assert.All(commands, c => Assert.Equal(SendVehicleCommandActivity.Immobilize, c.Method));
        // A retry resends the same command, so the vehicle can tell a repeat from a new one.
        Assert.Single(commands.Select(c => JsonDocument.Parse(c.PayloadJson).RootElement.GetProperty("commandId").GetString()).Distinct());
        Assert.True(commands[1].At - commands[0].At >= CollectionHost.ActivityRetryInterval - CollectionHost.TimerSkew, $"{commands[0].At:O} then {commands[1].At:O}");
        var status = await plan.WaitForStageAsync(s => s.GetProperty("stage").GetString() == "defaulted", "defaulted");
        Assert.True(status.GetProperty("immobilized").GetBoolean());
        Assert.Equal("Defaulted", (await plan.GetAsync()).GetProperty("status").GetString());
    }
}
