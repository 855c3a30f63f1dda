using System.Text.Json;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>A vehicle out of reach for longer than the activity retries last, on the real engine.</summary>
public class CollectionVehicleOutageTests(CollectionHost host) : IClassFixture<CollectionHost>
{
    private static string CommandId(ServerlessMobility.RentToOwn.Simulation.SimulatedVehicleCommand command) =>
        JsonDocument.Parse(command.PayloadJson).RootElement.GetProperty("commandId").GetString()!;

    [Fact]
    public async Task Collection_VehicleUnreachableThroughEveryMobilizeRetry_CollectionGoesOnAndMobilizesLater()
    {
        var plan = await host.OpenPlanAsync("outage", instalments: 2, speedKmh: 0);
        host.Gateway.DeclineAll(plan.TenantId, plan.Id);
        await plan.WaitForStageAsync(s => s.TryGetProperty("immobilized", out var i) && i.GetBoolean(), "immobilized");
        // Out of coverage for longer than one command's five attempts.
        host.VehicleCommands.RefuseNext(plan.VehicleId, 5);

        await plan.PayAsync("mpesa-arrears", 5_400m);

        var commands = await plan.WaitForAsync(() => plan.Commands, c => c.Count(m => m.Status == 200) >= 2, "the vehicle to take the mobilize");
        Assert.Equal(
            [(SendVehicleCommandActivity.Immobilize, 200), .. Enumerable.Repeat((SendVehicleCommandActivity.Mobilize, 503), 5), (SendVehicleCommandActivity.Mobilize, 200)],
            commands.Select(c => (c.Method, c.Status)));
        // One command retried five times, then the workflow sent it again later instead of failing.
        Assert.Single(commands.Skip(1).Take(5).Select(CommandId).Distinct());
        Assert.NotEqual(CommandId(commands[1]), CommandId(commands[6]));
        await plan.WaitForInstalmentAsync(2);
        var instance = await plan.InstanceAsync();
        Assert.False(instance!.RuntimeStatus.IsTerminal(), instance.Describe());
        var reinstated = Assert.Single(plan.NotificationsOf(NotificationKind.Reinstated));
        Assert.True(reinstated.At >= commands[6].At, "The customer is told the vehicle is back only once it is.");
        var current = await plan.GetAsync();
        Assert.Equal(("Active", 0m), (current.GetProperty("status").GetString(), current.GetProperty("arrears").GetDecimal()));
    }
}
