using System.Net;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// Feature purchases through HTTP on the whole local host and the real durable engine: the hold, the
/// activation over the air with its retries, the capture only after the vehicle confirmed, the release of the
/// hold otherwise, and the end of a fixed duration on a durable timer (a month is a second here).
/// </summary>
public sealed class FeatureActivationEndToEndTests(PlatformEmulators emulators)
{
    private const string Tenant = FeatureWorld.Tenant;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwelveMonths_VehicleConfirms_CapturedOnceThenSwitchedOffWhenTheTimerFires()
    {
        await using var world = await FeatureWorld.StartAsync(emulators, new Dictionary<string, string> { ["CarAsAService:Features:MonthLength"] = "00:00:01" });
        await world.AddFeatureAsync("extra-range");

        using var purchase = await world.PurchaseAsync("extra-range", "TwelveMonths");
        Assert.Equal(HttpStatusCode.Accepted, purchase.StatusCode);
        var active = await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Active);

        Assert.Equal(["extra-range"], world.Vehicle.ActiveFeatures);
        var held = Assert.Single(world.CallsFor(active), c => c.Operation == "authorize");
        Assert.Equal(new Money(12 * 121.00m, "EUR"), held.Amount); // 100 net + 21 % VAT, twelve months up front
        var captured = Assert.Single(world.Calls(), c => c.Operation == "capture");
        Assert.Equal(held.Amount, captured.Amount);
        Assert.DoesNotContain(world.Calls(), c => c.Operation == "void");
        Assert.Equal(active.ActivatedAt!.Value.AddSeconds(12), active.EndsAt); // twelve one-second months

        var ended = await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Deactivated);

        Assert.Empty(world.Vehicle.ActiveFeatures);
        Assert.Equal([FeatureSubscriptionState.Requested, FeatureSubscriptionState.Activating, FeatureSubscriptionState.Active, FeatureSubscriptionState.Expiring, FeatureSubscriptionState.Deactivated],
            ended.History.Select(h => h.State));
        Assert.True(ended.EndedAt >= active.EndsAt, $"switched off at {ended.EndedAt:O}, before the end {active.EndsAt:O}");
        Assert.Equal("duration-ended", ended.History[^1].Reason);
        Assert.Single(world.Calls(), c => c.Operation == "capture");
        Assert.Contains("switched off", await world.NotificationAsync(active.Id, "feature-expired"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VehicleRefusesEveryAttempt_HoldVoidedNeverCaptured_SupportCaseOpenedAndCustomerToldNothingWasCharged()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("heated-seats");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.Fail;

        using var purchase = await world.PurchaseAsync("heated-seats", "OneMonth");
        var failed = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Failed);

        Assert.Equal(3, world.Vehicle.ReceivedMethods.Count(m => m.Method == "activateFeature"));
        Assert.StartsWith("activation-failed", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(["authorize", "void"], world.CallsFor(failed).Select(c => c.Operation));
        Assert.DoesNotContain(world.Calls(), c => c.Operation == "capture");
        Assert.Empty(world.Vehicle.ActiveFeatures);
        var finished = await world.Workflows.WaitForFinishAsync(failed.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        Assert.Contains("Failed", finished.SerializedOutput, StringComparison.Ordinal);
        Assert.NotNull(await world.Get<IDocumentStore>().GetAsync($"{Tenant}/support-cases/{failed.Id}.activation-failed.json", Ct));
        Assert.Contains("Nothing was charged", await world.NotificationAsync(failed.Id, "feature-activation-failed"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 16: another device (a vehicle of the same owner with its own valid identity) listens on every method
    /// topic and answers 200 to whatever reaches it. The request goes only to the target, which stays silent, so the
    /// workflow retries and then releases the hold; the other device's willingness to answer counts for nothing.
    /// </summary>
    [Fact]
    public async Task VehicleSilent_AnotherDeviceReadyToAnswer_RetriedThenHoldVoidedNeverCaptured()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("heated-seats");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.TimeOut;
        await using var impostor = new SimulatedVehicle(IoTHubConnection.LocalFromConnectionString(await world.RegisterOtherVehicleAsync(FeatureWorld.NewVin()), world.MqttPort));
        await impostor.ConnectAsync(Ct);

        using var purchase = await world.PurchaseAsync("heated-seats", "OneMonth");
        var failed = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Failed);

        Assert.Empty(impostor.ReceivedMethods);
        Assert.Equal(3, world.Vehicle.ReceivedMethods.Count(m => m.Method == "activateFeature"));
        // Every request (the three activations and the switch-off sent after giving up) has its own request id.
        Assert.Equal(world.Vehicle.ReceivedRequestIds.Count, world.Vehicle.ReceivedRequestIds.Distinct().Count());
        Assert.StartsWith("activation-failed", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(["authorize", "void"], world.CallsFor(failed).Select(c => c.Operation));
        Assert.DoesNotContain(world.Calls(), c => c.Operation == "capture");
        Assert.Empty(world.Vehicle.ActiveFeatures);
    }

    [Fact]
    public async Task VoidFailsForAWhile_RetriedInRoundsVisibleToOperators_ThenReleasedAndNeverCaptured()
    {
        await using var world = await FeatureWorld.StartAsync(emulators, new Dictionary<string, string> { ["CarAsAService:Features:VoidMaxAttempts"] = "2" });
        await world.AddFeatureAsync("heated-seats");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.Fail;
        world.Get<SimulatedCardPayments>().FailNextVoids(3);

        using var purchase = await world.PurchaseAsync("heated-seats", "OneMonth");
        var subscription = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Activating);

        // Operators see the failing release in the instance's custom status while the workflow waits for the next round.
        var failing = await world.Workflows.WaitForInstanceAsync(subscription.InstanceId,
            i => i.SerializedCustomStatus?.Contains("void-failing", StringComparison.Ordinal) == true, "void-failing");
        var failed = await world.WaitForStateAsync("heated-seats", FeatureSubscriptionState.Failed);

        Assert.Contains("unavailable", failing!.SerializedCustomStatus, StringComparison.Ordinal);
        Assert.Equal(["authorize", "void", "void", "void", "void"], world.CallsFor(failed).Select(c => c.Operation));
        Assert.DoesNotContain(world.Calls(), c => c.Operation == "capture");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await world.Workflows.WaitForFinishAsync(failed.InstanceId)).RuntimeStatus);
    }

    [Fact]
    public async Task VehicleSucceedsOnTheThirdAttempt_ActiveAndCapturedOnce()
    {
        await using var world = await FeatureWorld.StartAsync(emulators, new Dictionary<string, string> { ["CarAsAService:Features:CommandMaxAttempts"] = "4" });
        await world.AddFeatureAsync("adaptive-cruise");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.SucceedAfter(3);

        using var purchase = await world.PurchaseAsync("adaptive-cruise", "OneMonth");
        var active = await world.WaitForStateAsync("adaptive-cruise", FeatureSubscriptionState.Active);

        Assert.Equal(3, world.Vehicle.ReceivedMethods.Count(m => m.Method == "activateFeature"));
        Assert.Equal(["authorize", "capture"], world.CallsFor(active).Select(c => c.Operation));
        Assert.Equal(["adaptive-cruise"], world.Vehicle.ActiveFeatures);
    }

    [Fact]
    public async Task VehicleAnswersTooLateThenAnswersTheRetry_ActiveAndCapturedOnce()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("performance");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.TimeOut;

        using var purchase = await world.PurchaseAsync("performance", "OneMonth");
        await world.WaitForStateAsync("performance", FeatureSubscriptionState.Activating);
        await Eventually.UntilAsync(() => Task.FromResult(world.Vehicle.ReceivedMethods.Any(m => m.Method == "activateFeature")), "the first activateFeature");

        // The first attempt is past its response timeout (the platform stopped waiting); the vehicle wakes up.
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.Succeed;
        var active = await world.WaitForStateAsync("performance", FeatureSubscriptionState.Active);

        Assert.True(world.Vehicle.ReceivedMethods.Count(m => m.Method == "activateFeature") >= 2);
        Assert.Equal(["authorize", "capture"], world.CallsFor(active).Select(c => c.Operation));
        Assert.Equal(["performance"], world.Vehicle.ActiveFeatures);
    }

    [Fact]
    public async Task OperatorTerminatesAnActivation_HoldVoidedSlotReleasedWithTheReason_ANewPurchaseSucceeds()
    {
        await using var world = await FeatureWorld.StartAsync(emulators, new Dictionary<string, string>
        {
            ["CarAsAService:Features:CommandMaxAttempts"] = "50",
            ["CarAsAService:Features:Reconciler:Interval"] = "00:00:01",
        });
        await world.AddFeatureAsync("night-vision");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.TimeOut;

        using var purchase = await world.PurchaseAsync("night-vision", "OneMonth");
        var activating = await world.WaitForStateAsync("night-vision", FeatureSubscriptionState.Activating);
        using var operatorClient = await world.ClientAsync("ops-" + world.Vin, "operator");
        using var terminate = await operatorClient.PostAsync(
            $"/runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(activating.InstanceId)}/terminate?reason=stuck-vehicle", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        var failed = await world.WaitForStateAsync("night-vision", FeatureSubscriptionState.Failed);

        Assert.Equal("workflow-terminated: stuck-vehicle", failed.FailureReason);
        Assert.Equal(["authorize", "void"], world.CallsFor(failed).Select(c => c.Operation));
        Assert.Equal($"feature-void:{failed.Id}", world.CallsFor(failed)[1].IdempotencyKey);
        Assert.Contains(world.Vehicle.ReceivedMethods, m => m.Method == "deactivateFeature");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await world.Workflows.GetInstanceAsync(failed.InstanceId, Ct))!.RuntimeStatus);
        Assert.NotNull(await world.Get<IDocumentStore>().GetAsync($"{Tenant}/support-cases/{failed.Id}.workflow-ended.json", Ct));
        Assert.Contains("Nothing was charged", await world.NotificationAsync(failed.Id, "feature-activation-failed"), StringComparison.Ordinal);

        // The slot is free again: the same feature can be bought, and this time the vehicle answers.
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.Succeed;
        using var again = await world.PurchaseAsync("night-vision", "OneMonth");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var active = await world.WaitForStateAsync("night-vision", FeatureSubscriptionState.Active);
        Assert.NotEqual(failed.Id, active.Id);
        Assert.Equal(["authorize", "capture"], world.CallsFor(active).Select(c => c.Operation));

        // A later sweep finds nothing more to do for the terminated one: one void. The test runs that sweep itself
        // rather than sleeping through the host's, so it knows one ran after the compensation.
        var handled = await world.Get<FeatureActivationReconciler>().SweepAsync(world.Workflows, Ct);
        Assert.Equal(0, handled);
        Assert.Single(world.Calls(), c => c.Operation == "void");
    }

    [Fact]
    public async Task VehicleSwitchesTheFeatureOnButEveryConfirmationComesTooLate_HoldVoidedAndFeatureSwitchedOffAgain()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("sport-mode");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.ApplyAndAnswerLate;

        using var purchase = await world.PurchaseAsync("sport-mode", "OneMonth");
        await Eventually.UntilAsync(() => Task.FromResult(world.Vehicle.ActiveFeatures.Contains("sport-mode")), "the vehicle to switch sport-mode on");
        var failed = await world.WaitForStateAsync("sport-mode", FeatureSubscriptionState.Failed);

        // The platform never saw a confirmation in time, released the hold, and switched the feature off again:
        // the vehicle does not keep a feature nobody paid for.
        Assert.StartsWith("activation-failed", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(["authorize", "void"], world.CallsFor(failed).Select(c => c.Operation));
        Assert.Contains(world.Vehicle.ReceivedMethods, m => m.Method == "deactivateFeature");
        Assert.Empty(world.Vehicle.ActiveFeatures);
        using var operatorClient = await world.ClientAsync("ops-" + world.Vin, "operator");
        var tasks = await operatorClient.GetFromJsonAsync<List<ServerlessMobility.Platform.Operations.OperatorTask>>("/api/operator-tasks", FeatureWorld.Json, Ct);
        Assert.DoesNotContain(tasks!, t => t.Subject == $"feature-subscription:{failed.Id}");
    }

    [Fact]
    public async Task VehicleSwitchesTheFeatureOnLateAndThenCannotBeReached_OperatorTaskToSwitchItOff()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("track-mode");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.ApplyAndAnswerLate;
        world.Vehicle.Behaviours["deactivateFeature"] = MethodBehaviour.TimeOut;

        using var purchase = await world.PurchaseAsync("track-mode", "OneMonth");
        var failed = await world.WaitForStateAsync("track-mode", FeatureSubscriptionState.Failed);

        Assert.Equal(["authorize", "void"], world.CallsFor(failed).Select(c => c.Operation));
        using var operatorClient = await world.ClientAsync("ops-" + world.Vin, "operator");
        var tasks = await operatorClient.GetFromJsonAsync<List<ServerlessMobility.Platform.Operations.OperatorTask>>("/api/operator-tasks?status=Open", FeatureWorld.Json, Ct);
        var task = Assert.Single(tasks!, t => t.Subject == $"feature-subscription:{failed.Id}");
        Assert.Equal(ServerlessMobility.Platform.Operations.OperatorTaskKinds.DeactivateUnpaidFeature, task.Kind);
    }
}
