using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// What use cases rely on from the client: the SDK's contract as the local client keeps it, and the
/// platform's start-once and raise-if-running rules on top of it.
/// </summary>
public class ClientContractTests(SharedTaskHub hub) : IClassFixture<SharedTaskHub>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DurableTaskClient Client => hub.Host.Client;

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task StartOnceAsync_RunningInstance_ReturnsFalseAndLeavesItRunning()
    {
        var id = NewId("once-running");
        var started = await Client.StartOnceAsync(TestOrchestrations.Approval, id, 0, Ct);
        var running = await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "waiting for approval");

        var again = await Client.StartOnceAsync(TestOrchestrations.Approval, id, 60, Ct);
        var after = await Client.GetInstanceAsync(id, getInputsAndOutputs: true, Ct);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.True(started);
        Assert.False(again);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after?.RuntimeStatus);
        Assert.Equal(0, after?.ReadInputAs<int>());
        Assert.Equal(running?.CreatedAt, after?.CreatedAt);
        Assert.Single(history.OfType<ExecutionStartedEvent>());
    }

    [Fact]
    public async Task StartOnceAsync_CompletedInstance_ReturnsFalseAndKeepsItsOutput()
    {
        var id = NewId("once-completed");
        var started = await Client.StartOnceAsync(TestOrchestrations.Sequence, id, 2, Ct);
        var completed = await Client.WaitForFinishAsync(id);

        var again = await Client.StartOnceAsync(TestOrchestrations.Sequence, id, 3, Ct);
        var after = await Client.GetInstanceAsync(id, getInputsAndOutputs: true, Ct);

        Assert.True(started);
        Assert.False(again);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after?.RuntimeStatus);
        Assert.Equal(30, after?.ReadOutputAs<int>());
        Assert.Equal(completed.CreatedAt, after?.CreatedAt);
        Assert.Equal(1, TestOrchestrations.CountOf(id, "count-1"));
        Assert.Equal(0, TestOrchestrations.CountOf(id, "count-3"));
    }

    [Fact]
    public async Task StartOnceAsync_ConcurrentCalls_StartExactlyOne()
    {
        var id = NewId("once-concurrent");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Client.StartOnceAsync(TestOrchestrations.Sequence, id, 3, Ct), Ct)));
        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Single(results, started => started);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(60, instance.ReadOutputAs<int>());
        Assert.Single(history.OfType<ExecutionStartedEvent>());
        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal(1, TestOrchestrations.CountOf(id, $"count-{i}")));
    }

    [Fact]
    public async Task RaiseIfRunningAsync_UnknownInstance_ReturnsFalse()
    {
        var raised = await Client.RaiseIfRunningAsync(NewId("unknown"), TestOrchestrations.ApprovalEvent, "ops-lead", Ct);

        Assert.False(raised);
    }

    [Fact]
    public async Task RaiseIfRunningAsync_FinishedInstance_ReturnsFalse()
    {
        var completed = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 1, new StartOrchestrationOptions(NewId("raise-completed")), Ct);
        var terminated = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(NewId("raise-terminated")), Ct);
        await Client.WaitForFinishAsync(completed);
        await Client.WaitForInstanceAsync(terminated, i => i.SerializedCustomStatus is not null, "waiting for approval");
        await Client.TerminateInstanceAsync(terminated, cancellation: Ct);
        await Client.WaitForFinishAsync(terminated);

        var toCompleted = await Client.RaiseIfRunningAsync(completed, TestOrchestrations.ApprovalEvent, "ops-lead", Ct);
        var toTerminated = await Client.RaiseIfRunningAsync(terminated, TestOrchestrations.ApprovalEvent, "ops-lead", Ct);

        Assert.False(toCompleted);
        Assert.False(toTerminated);
    }

    [Fact]
    public async Task RaiseIfRunningAsync_WaitingInstance_ReturnsTrueAndDeliversThePayload()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(NewId("raise-running")), Ct);
        await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "waiting for approval");

        var raised = await Client.RaiseIfRunningAsync(id, TestOrchestrations.ApprovalEvent, "dealer-admin", Ct);
        var instance = await Client.WaitForFinishAsync(id);

        Assert.True(raised);
        Assert.Equal("approved by dealer-admin", instance.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_DedupeStatusesHoldRunningInstance_ThrowsAndKeepsIt()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(NewId("dedupe-running")), Ct);
        await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "waiting for approval");

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 60,
            new StartOrchestrationOptions(id) { DedupeStatuses = WorkflowClientExtensions.ActiveStatuses }, Ct));
        var after = await Client.GetInstanceAsync(id, getInputsAndOutputs: true, Ct);

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after?.RuntimeStatus);
        Assert.Equal(0, after?.ReadInputAs<int>());
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_DedupeStatusesHoldCompletedInstance_Throws()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 1, new StartOrchestrationOptions(NewId("dedupe-completed")), Ct);
        await Client.WaitForFinishAsync(id);

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 2,
            new StartOrchestrationOptions(id).WithDedupeStatuses(OrchestrationRuntimeStatus.Completed), Ct));
        var after = await Client.GetInstanceAsync(id, getInputsAndOutputs: true, Ct);

        Assert.Equal(10, after?.ReadOutputAs<int>());
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_CompletedInstanceNotInDedupeStatuses_StartsItAgain()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 1, new StartOrchestrationOptions(NewId("restart")), Ct);
        var first = await Client.WaitForFinishAsync(id);

        await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 2,
            new StartOrchestrationOptions(id) { DedupeStatuses = WorkflowClientExtensions.ActiveStatuses }, Ct);
        var second = await Client.WaitForInstanceAsync(id, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed && i.ReadInputAs<int>() == 2, "completed again");

        Assert.Equal(10, first.ReadOutputAs<int>());
        Assert.Equal(30, second?.ReadOutputAs<int>());
        Assert.Equal(2, TestOrchestrations.CountOf(id, "count-1"));
    }

    [Fact]
    public async Task GetOrchestrationHistoryAsync_CompletedSequence_ReturnsTypedEventsInOrder()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 2, new StartOrchestrationOptions(NewId("history")), Ct);
        await Client.WaitForFinishAsync(id);

        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        var story = history.Where(e => e is not OrchestratorStartedEvent and not OrchestratorCompletedEvent).ToList();
        Assert.Collection(story,
            e => Assert.Equal("2", Assert.IsType<ExecutionStartedEvent>(e).Input),
            e => Assert.Equal((TestOrchestrations.Count, 0), (Assert.IsType<TaskScheduledEvent>(e).Name, e.EventId)),
            e => Assert.Equal(("10", 0), (Assert.IsType<TaskCompletedEvent>(e).Result, ((TaskCompletedEvent)e).TaskScheduledId)),
            e => Assert.Equal((TestOrchestrations.Count, 1), (Assert.IsType<TaskScheduledEvent>(e).Name, e.EventId)),
            e => Assert.Equal(("20", 1), (Assert.IsType<TaskCompletedEvent>(e).Result, ((TaskCompletedEvent)e).TaskScheduledId)),
            e => Assert.Equal("30", Assert.IsType<ExecutionCompletedEvent>(e).Result));
        Assert.IsType<OrchestratorStartedEvent>(history[0]);
        Assert.IsType<OrchestratorCompletedEvent>(history[^1]);
    }

    [Fact]
    public async Task WaitForInstanceCompletionAsync_RunningInstance_ReturnsItsFinalState()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Timer, 1000, new StartOrchestrationOptions(NewId("wait")), Ct);

        var started = await Client.WaitForInstanceStartAsync(id, getInputsAndOutputs: false, Ct);
        var finished = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, Ct);

        Assert.NotEqual(OrchestrationRuntimeStatus.Pending, started.RuntimeStatus);
        Assert.Null(started.SerializedInput);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        Assert.NotNull(finished.ReadOutputAs<TimerResult>());
    }

    [Fact]
    public async Task WaitForInstanceCompletionAsync_InstanceThatKeepsWaiting_StopsWhenCancelled()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(NewId("wait-cancel")), Ct);
        await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "waiting for approval");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, cancel.Token));
        var instance = await Client.GetInstanceAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Running, instance?.RuntimeStatus);
    }
}
