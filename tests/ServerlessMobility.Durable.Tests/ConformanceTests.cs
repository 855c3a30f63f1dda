using Azure.Storage.Blobs;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>One test per semantic of the engine, each on its own task hub prefix against the real Azurite.</summary>
public class ReplayConformanceTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task CallActivity_SequenceOfThree_ReplaysWithoutReexecutingCompletedActivities()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);

        var id = await host.Client.ScheduleNewAsync("Test.Sequence", 3, cancellationToken: TestContext.Current.CancellationToken);
        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("60", instance.SerializedOutput);
        // The workflow ran 4 episodes (start + 3 completions), replaying earlier calls each time, yet each activity ran once.
        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal(1, TestWorkflows.CountOf(id, $"count-{i}")));
        Assert.Equal(3, instance.History!.Count(e => e.EventType == "TaskScheduled"));
        Assert.Equal(3, instance.History!.Count(e => e.EventType == "TaskCompleted"));
        Assert.Equal(4, instance.History!.Count(e => e.EventType == "OrchestratorStarted"));
    }

    [Fact]
    public async Task ScheduleNew_SameInstanceIdWhileRunning_IsIdempotentAndKeepsTenant()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var options = new WorkflowStartOptions { InstanceId = "order-" + Guid.NewGuid().ToString("N"), TenantId = "dealer-a" };

        var first = await host.Client.ScheduleNewAsync("Test.Approval", 0, options, TestContext.Current.CancellationToken);
        await host.WaitAsync(first, i => i.RuntimeStatus == WorkflowRuntimeStatus.Running);
        var second = await host.Client.ScheduleNewAsync("Test.Approval", 0, options, TestContext.Current.CancellationToken);
        var instance = await host.Client.GetInstanceAsync(first, includeHistory: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first, second);
        Assert.Equal("dealer-a", instance!.TenantId);
        Assert.Single(instance.History!, e => e.EventType == "ExecutionStarted");
    }

    [Fact]
    public async Task Replay_WorkflowCodeSchedulesDifferentActivity_FailsWithNonDeterminismDetails()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Drifting", 1, cancellationToken: TestContext.Current.CancellationToken);
        await host.WaitForEventsAsync(id, "TaskCompleted");

        DriftingWorkflow.Drift[id] = true;
        await host.Client.RaiseEventAsync(id, "Go", "now", TestContext.Current.CancellationToken);
        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicWorkflowException).FullName, instance.FailureDetails!.ErrorType);
        Assert.Contains("Test.Count", instance.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("Test.EchoActivity", instance.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetCustomStatus_WhileWaiting_IsVisibleInStatusAndUpdatedOnCompletion()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Status", 0, cancellationToken: TestContext.Current.CancellationToken);

        var waiting = await host.WaitAsync(id, i => i.SerializedCustomStatus is not null);
        await host.Client.RaiseEventAsync(id, "Go", "payload", TestContext.Current.CancellationToken);
        var done = await host.WaitAsync(id);

        Assert.Contains("\"stage\":\"waiting\"", waiting.SerializedCustomStatus, StringComparison.Ordinal);
        Assert.Equal("{\"stage\":\"done\"}", done.SerializedCustomStatus);
        Assert.Equal("\"payload\"", done.SerializedOutput);
    }
}

public class TimerConformanceTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task CreateTimer_ThirtyDaysWithFakeTime_FiresWhenTimeIsAdvanced()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register, fakeTime: true);
        var start = host.Time!.GetUtcNow();
        var id = await host.Client.ScheduleNewAsync("Test.LongTimer", 30, cancellationToken: TestContext.Current.CancellationToken);
        var waiting = await host.WaitForEventsAsync(id, "TimerCreated");

        host.Time.Advance(TimeSpan.FromDays(29));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var stillWaiting = await host.Client.GetInstanceAsync(id, cancellationToken: TestContext.Current.CancellationToken);
        host.Time.Advance(TimeSpan.FromDays(1));
        var instance = await host.WaitAsync(id);

        Assert.Equal(start.AddDays(30), waiting.History!.Single(e => e.EventType == "TimerCreated").FireAt);
        Assert.Equal(WorkflowRuntimeStatus.Running, stillWaiting!.RuntimeStatus);
        Assert.Equal(WorkflowRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.True(DurableJson.Deserialize<DateTimeOffset>(instance.SerializedOutput) >= start.AddDays(30));
    }

    [Fact]
    public async Task CallActivity_RetryPolicyWithBackoff_WaitsTenThenTwentyMinutesOnDurableTimers()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register, fakeTime: true);
        var id = await host.Client.ScheduleNewAsync("Test.Retry", 3, cancellationToken: TestContext.Current.CancellationToken);

        var afterFirstFailure = await host.WaitForEventsAsync(id, "TimerCreated", 1);
        var firstFailedAt = afterFirstFailure.History!.Single(e => e.EventType == "TaskFailed").Timestamp;
        host.Time!.Advance(TimeSpan.FromMinutes(10));
        var afterSecondFailure = await host.WaitForEventsAsync(id, "TimerCreated", 2);
        var secondFailedAt = afterSecondFailure.History!.Where(e => e.EventType == "TaskFailed").Last().Timestamp;
        host.Time.Advance(TimeSpan.FromMinutes(20));
        var instance = await host.WaitAsync(id);

        var timers = instance.History!.Where(e => e.EventType == "TimerCreated").Select(e => e.FireAt!.Value).ToList();
        Assert.Equal(firstFailedAt.AddMinutes(10), timers[0]);
        Assert.Equal(secondFailedAt.AddMinutes(20), timers[1]);
        Assert.Equal("\"succeeded on attempt 3\"", instance.SerializedOutput);
        Assert.Equal(3, TestWorkflows.CountOf(id, "flaky"));
    }

    [Fact]
    public async Task CallActivity_RetriesExhausted_SurfacesLastFailureAsFailedInstance()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register, fakeTime: true);
        var id = await host.Client.ScheduleNewAsync("Test.Retry", 99, cancellationToken: TestContext.Current.CancellationToken);

        for (var timers = 1; timers <= 3; timers++)
        {
            await host.WaitForEventsAsync(id, "TimerCreated", timers);
            host.Time!.Advance(TimeSpan.FromHours(1));
        }

        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Equal(typeof(WorkflowTaskFailedException).FullName, instance.FailureDetails!.ErrorType);
        Assert.Equal(typeof(InvalidOperationException).FullName, instance.FailureDetails.InnerFailure!.ErrorType);
        Assert.Equal(4, TestWorkflows.CountOf(id, "flaky"));
    }
}

public class EventConformanceTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task WaitForExternalEvent_NoEventBeforeTimeout_ThrowsWorkflowEventTimeoutException()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register, fakeTime: true);
        var id = await host.Client.ScheduleNewAsync("Test.Approval", 48, cancellationToken: TestContext.Current.CancellationToken);
        await host.WaitForEventsAsync(id, "TimerCreated");

        host.Time!.Advance(TimeSpan.FromHours(48));
        var instance = await host.WaitAsync(id);

        Assert.Equal("\"timed out waiting for Approval\"", instance.SerializedOutput);
    }

    [Fact]
    public async Task WaitForExternalEvent_EventBeforeTimeout_ReturnsPayloadAndIgnoresLaterTimer()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register, fakeTime: true);
        var id = await host.Client.ScheduleNewAsync("Test.Approval", 48, cancellationToken: TestContext.Current.CancellationToken);
        await host.WaitForEventsAsync(id, "TimerCreated");

        await host.Client.RaiseEventAsync(id, "Approval", "ops-lead", TestContext.Current.CancellationToken);
        var instance = await host.WaitAsync(id);
        host.Time!.Advance(TimeSpan.FromHours(48));

        Assert.Equal("\"approved by ops-lead\"", instance.SerializedOutput);
        Assert.Equal(WorkflowRuntimeStatus.Completed, instance.RuntimeStatus);
    }

    [Fact]
    public async Task RaiseEvent_UnknownInstance_ThrowsInstanceNotFound()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);

        await Assert.ThrowsAsync<WorkflowInstanceNotFoundException>(() => host.Client.RaiseEventAsync("missing", "Approval", null, TestContext.Current.CancellationToken));
    }
}

public class CompositionConformanceTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task CallSubWorkflow_ChildCompletesAndChildFails_ParentGetsResultAndCatchableFailure()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Parent", 21, cancellationToken: TestContext.Current.CancellationToken);

        var instance = await host.WaitAsync(id);
        var failingChild = await host.Client.GetInstanceAsync(id + "-failing-child", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("42, child failed: negative input (Parameter 'input')", DurableJson.Deserialize<string>(instance.SerializedOutput));
        Assert.Equal(WorkflowRuntimeStatus.Failed, failingChild!.RuntimeStatus);
        Assert.Equal(2, instance.History!.Count(e => e.EventType == "SubOrchestrationInstanceCreated"));
    }

    [Fact]
    public async Task ContinueAsNew_CountsToThree_CompletesWithFreshHistoryOfLastExecution()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Counter", 1, cancellationToken: TestContext.Current.CancellationToken);

        var instance = await host.WaitAsync(id);

        Assert.Equal("3", instance.SerializedOutput);
        Assert.Equal("3", instance.SerializedInput);
        Assert.Single(instance.History!, e => e.EventType == "ExecutionStarted");
        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal(1, TestWorkflows.CountOf(id, $"count-{i}")));
    }
}

public class ManagementConformanceTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Terminate_RunningInstance_BecomesTerminatedWithReason()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Approval", 0, cancellationToken: Ct);
        await host.WaitAsync(id, i => i.RuntimeStatus == WorkflowRuntimeStatus.Running);

        await host.Client.TerminateAsync(id, "customer cancelled", Ct);
        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Terminated, instance.RuntimeStatus);
        Assert.Equal("\"customer cancelled\"", instance.SerializedOutput);
    }

    [Fact]
    public async Task SuspendResume_EventWhileSuspended_IsHeldUntilResumed()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Approval", 0, cancellationToken: Ct);
        await host.WaitAsync(id, i => i.RuntimeStatus == WorkflowRuntimeStatus.Running);

        await host.Client.SuspendAsync(id, "investigating", Ct);
        await host.WaitAsync(id, i => i.RuntimeStatus == WorkflowRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "Approval", "ops-lead", Ct);
        var suspended = await host.WaitForEventsAsync(id, "EventRaised");
        await host.Client.ResumeAsync(id, "done", Ct);
        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Suspended, suspended.RuntimeStatus);
        Assert.Equal(WorkflowRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("\"approved by ops-lead\"", instance.SerializedOutput);
    }

    [Fact]
    public async Task Purge_CompletedAndRunning_DeletesOnlyTerminalInstance()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var done = await host.Client.ScheduleNewAsync("Test.Sequence", 1, cancellationToken: Ct);
        var running = await host.Client.ScheduleNewAsync("Test.Approval", 0, cancellationToken: Ct);
        await host.WaitAsync(done);
        await host.WaitAsync(running, i => i.RuntimeStatus == WorkflowRuntimeStatus.Running);

        var purgedDone = await host.Client.PurgeAsync(done, Ct);
        var purgedRunning = await host.Client.PurgeAsync(running, Ct);

        Assert.Equal(1, purgedDone);
        Assert.Equal(0, purgedRunning);
        Assert.Null(await host.Client.GetInstanceAsync(done, cancellationToken: Ct));
        Assert.NotNull(await host.Client.GetInstanceAsync(running, cancellationToken: Ct));
    }

    [Fact]
    public async Task List_PrefixStatusAndPageSize_PagesWithContinuationToken()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await host.Client.ScheduleNewAsync("Test.Sequence", 1, new WorkflowStartOptions { InstanceId = $"list-{i}", TenantId = "dealer-a" }, Ct));
        }

        var other = await host.Client.ScheduleNewAsync("Test.Approval", 0, new WorkflowStartOptions { InstanceId = "other-1" }, Ct);
        foreach (var id in ids)
        {
            await host.WaitAsync(id);
        }

        await host.WaitAsync(other, i => i.RuntimeStatus == WorkflowRuntimeStatus.Running);
        var pages = new List<WorkflowPage>();
        string? token = null;
        do
        {
            var page = await host.Client.ListAsync(new WorkflowQuery { InstanceIdPrefix = "list-", PageSize = 2, ContinuationToken = token, Statuses = [WorkflowRuntimeStatus.Completed] }, Ct);
            pages.Add(page);
            token = page.ContinuationToken;
        }
        while (token is not null);
        var running = await host.Client.ListAsync(new WorkflowQuery { Statuses = [WorkflowRuntimeStatus.Running] }, Ct);
        var tenant = await host.Client.ListAsync(new WorkflowQuery { TenantId = "dealer-a" }, Ct);

        Assert.Equal(ids, pages.SelectMany(p => p.Instances).Select(i => i.InstanceId));
        Assert.True(pages.Count >= 3);
        Assert.Equal(["other-1"], running.Instances.Select(i => i.InstanceId));
        Assert.Equal(5, tenant.Instances.Count);
    }

    [Fact]
    public async Task PurgeByFilter_CompletedInRange_DeletesThemAll()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await host.Client.ScheduleNewAsync("Test.Sequence", 1, cancellationToken: Ct));
        }

        foreach (var id in ids)
        {
            await host.WaitAsync(id);
        }

        var purged = await host.Client.PurgeAsync(new WorkflowPurgeFilter { CreatedFrom = from, Statuses = [WorkflowRuntimeStatus.Completed] }, Ct);
        var left = await host.Client.ListAsync(new WorkflowQuery(), Ct);

        Assert.Equal(3, purged);
        Assert.Empty(left.Instances);
    }
}

public class FailureConformanceTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CallActivity_ActivityThrows_WorkflowCatchesFailureWithTypeAndMessage()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Catching", 7, cancellationToken: Ct);

        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("\"Test.Failing failed: System.InvalidOperationException: Payment 7 was declined.\"", instance.SerializedOutput);
        var failed = instance.History!.Single(e => e.EventType == "TaskFailed");
        Assert.Equal("Payment 7 was declined.", failed.FailureDetails!.ErrorMessage);
    }

    [Fact]
    public async Task Run_UnhandledWorkflowException_InstanceFailedWithDetails()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var id = await host.Client.ScheduleNewAsync("Test.Throwing", 1, cancellationToken: Ct);

        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Equal(typeof(InvalidOperationException).FullName, instance.FailureDetails!.ErrorType);
        Assert.Equal("The order is in an impossible state.", instance.FailureDetails.ErrorMessage);
        Assert.Equal("ExecutionFailed", instance.History![^1].EventType);
    }

    [Fact]
    public async Task ScheduleNew_LargeInputAndOutput_SpillsToBlobsAndRoundTrips()
    {
        await using var host = await DurableTestHost.StartAsync(emulators, TestWorkflows.Register);
        var large = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26)))) + new string('z', 180_000);

        var id = await host.Client.ScheduleNewAsync("Test.Echo", large, cancellationToken: Ct);
        var instance = await host.WaitAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(large, DurableJson.Deserialize<string>(instance.SerializedOutput));
        Assert.Equal(large, DurableJson.Deserialize<string>(instance.SerializedInput));
        var container = new BlobServiceClient(emulators.StorageConnectionString).GetBlobContainerClient($"{host.Prefix}-durable-payloads");
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, id + "/", Ct))
        {
            blobs.Add(blob.Name);
        }

        Assert.True(blobs.Count >= 4, $"Expected spilled payloads (input, messages, history, output), found {blobs.Count}.");
    }
}
