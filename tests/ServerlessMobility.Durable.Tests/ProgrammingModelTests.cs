using System.Diagnostics;
using Azure.Storage.Blobs;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// The SDK's orchestration semantics (activities, retries, failures, sub-orchestrations, continue-as-new, large
/// payloads) as the framework's worker runs them on Azurite, observed through the client and the instance's history.
/// </summary>
public class ProgrammingModelTests(SharedTaskHub hub) : IClassFixture<SharedTaskHub>
{
    /// <summary>
    /// How early the Azure Storage backend may deliver a durable timer: it hides the timer's message for the time
    /// left until it is due, and queue visibility delays are whole seconds (the storage client truncates them).
    /// In Azure the same holds; workflows wait hours and days, where a second does not matter.
    /// </summary>
    private static readonly TimeSpan TimerResolution = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DurableTaskClient Client => hub.Host.Client;

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task CallActivity_SequenceOfThree_CompletesAndRunsEachActivityOnce()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 3, new StartOrchestrationOptions(NewId("seq")), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(60, instance.ReadOutputAs<int>());
        Assert.Equal(3, instance.ReadInputAs<int>());

        // Four episodes (the start and one per completion), and no activity ran a second time.
        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal(1, TestOrchestrations.CountOf(id, $"count-{i}")));
        Assert.Equal(3, history.OfType<TaskScheduledEvent>().Count());
        Assert.Equal(4, history.OfType<OrchestratorStartedEvent>().Count());
    }

    [Fact]
    public async Task CallActivity_RetryPolicyWithBackoff_RetriesOnDurableTimersThenSucceeds()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Retrying, new RetryInput(SucceedOnAttempt: 3, MaxAttempts: 4, FirstRetryMilliseconds: 1500),
            new StartOrchestrationOptions(NewId("retry")), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal("succeeded on attempt 3", instance.ReadOutputAs<string>());
        var attempts = TestOrchestrations.TimesOf(id, "flaky");
        Assert.Equal(3, attempts.Count);

        // Each retry waits on a durable timer set from the orchestration's time when it saw the failure: 1.5 s, then 3 s.
        Assert.Equal([TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3)], RetryDelays(history));
        Assert.Equal(2, history.OfType<TimerFiredEvent>().Count());
        Assert.Equal(2, history.OfType<TaskFailedEvent>().Count());
        var firstWait = attempts[1] - attempts[0];
        var secondWait = attempts[2] - attempts[1];
        Assert.True(firstWait >= TimeSpan.FromSeconds(1.5) - TimerResolution, $"Second attempt after {firstWait}.");
        Assert.True(secondWait >= TimeSpan.FromSeconds(3) - TimerResolution, $"Third attempt after {secondWait}.");
    }

    [Fact]
    public async Task CallActivity_RetriesExhausted_OrchestratorCatchesTaskFailedExceptionWithLastFailure()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Retrying, new RetryInput(SucceedOnAttempt: 99, MaxAttempts: 3, FirstRetryMilliseconds: 250),
            new StartOrchestrationOptions(NewId("exhausted")), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("Test.Flaky failed: System.InvalidOperationException: Attempt 3 fails.", instance.ReadOutputAs<string>());
        Assert.Equal(3, TestOrchestrations.CountOf(id, "flaky"));

        // The framework follows the last failed attempt with a timer that fires at once (kept for replay compatibility).
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.Zero], RetryDelays(history));
        var failures = history.OfType<TaskFailedEvent>().ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal(typeof(InvalidOperationException).FullName, f.FailureDetails?.ErrorType));
    }

    [Fact]
    public async Task Run_UnhandledOrchestratorException_InstanceFailedWithFailureDetails()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Throwing, 4, new StartOrchestrationOptions(NewId("throwing")), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.NotNull(instance.FailureDetails);
        Assert.Equal(typeof(InvalidOperationException).FullName, instance.FailureDetails.ErrorType);
        Assert.Equal("The order is in an impossible state.", instance.FailureDetails.ErrorMessage);
        Assert.True(instance.FailureDetails.IsCausedBy<InvalidOperationException>());
        Assert.Equal(1, TestOrchestrations.CountOf(id, "count-4"));
        var completed = Assert.Single(history.OfType<ExecutionCompletedEvent>());
        Assert.Equal(OrchestrationStatus.Failed, completed.OrchestrationStatus);
        Assert.Equal("The order is in an impossible state.", completed.FailureDetails?.ErrorMessage);
    }

    [Fact]
    public async Task CreateTimer_TwoSeconds_ResumesTheOrchestrationAtItsDueTime()
    {
        var watch = Stopwatch.StartNew();
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Timer, 2000, new StartOrchestrationOptions(NewId("timer")), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var elapsed = watch.Elapsed;
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        var result = instance.ReadOutputAs<TimerResult>();
        Assert.NotNull(result);
        var created = Assert.Single(history.OfType<TimerCreatedEvent>());
        var fired = Assert.Single(history.OfType<TimerFiredEvent>());
        Assert.Equal(result.StartedAt.AddSeconds(2), created.FireAt);
        Assert.Equal(created.FireAt, fired.FireAt);
        Assert.Equal(created.EventId, fired.TimerId);
        Assert.True(result.FiredAt >= created.FireAt - TimerResolution, $"The orchestration resumed at {result.FiredAt:O}, the timer was due at {created.FireAt:O}.");
        Assert.True(elapsed >= TimeSpan.FromSeconds(2) - TimerResolution, $"Finished after {elapsed}.");
    }

    [Fact]
    public async Task WaitForExternalEvent_NoEventBeforeTimeout_ThrowsTaskCanceledException()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 2, new StartOrchestrationOptions(NewId("timeout")), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("timed out", instance.ReadOutputAs<string>());
        Assert.Equal(new ApprovalStatus("timed out", null), instance.ReadCustomStatusAs<ApprovalStatus>());
        Assert.Single(history.OfType<TimerFiredEvent>());
        Assert.Empty(history.OfType<EventRaisedEvent>());
    }

    [Fact]
    public async Task WaitForExternalEvent_EventBeforeTimeout_ReturnsPayload()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 120, new StartOrchestrationOptions(NewId("approval")), Ct);
        await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "waiting for approval");

        await Client.RaiseEventAsync(id, TestOrchestrations.ApprovalEvent, "ops-lead", Ct);
        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("approved by ops-lead", instance.ReadOutputAs<string>());
        var raised = Assert.Single(history.OfType<EventRaisedEvent>());
        Assert.Equal(TestOrchestrations.ApprovalEvent, raised.Name);

        // The timeout's timer was set, and the instance finished without waiting for it.
        Assert.Single(history.OfType<TimerCreatedEvent>());
        Assert.Empty(history.OfType<TimerFiredEvent>());
    }

    [Fact]
    public async Task SetCustomStatus_WhileWaiting_IsVisibleToClientsAndUpdatedOnCompletion()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(NewId("status")), Ct);

        var waiting = await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "showing a custom status");
        await Client.RaiseEventAsync(id, TestOrchestrations.ApprovalEvent, "dealer-admin", Ct);
        var done = await Client.WaitForFinishAsync(id);

        Assert.NotNull(waiting);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);
        Assert.Equal(new ApprovalStatus("waiting", null), waiting.ReadCustomStatusAs<ApprovalStatus>());
        Assert.Equal(new ApprovalStatus("approved", "dealer-admin"), done.ReadCustomStatusAs<ApprovalStatus>());
    }

    [Fact]
    public async Task CallSubOrchestrator_ChildSucceedsAndChildFails_ParentGetsResultAndCatchableFailure()
    {
        var id = NewId("parent");
        await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Parent, 21, new StartOrchestrationOptions(id), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var goodChild = await Client.GetInstanceAsync(ParentOrchestrator.GoodChildId(id), getInputsAndOutputs: true, Ct);
        var failingChild = await Client.GetInstanceAsync(ParentOrchestrator.FailingChildId(id), getInputsAndOutputs: true, Ct);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.StartsWith("42, Test.Child failed: System.ArgumentOutOfRangeException: ", instance.ReadOutputAs<string>(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, goodChild?.RuntimeStatus);
        Assert.Equal(42, goodChild?.ReadOutputAs<int>());
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failingChild?.RuntimeStatus);
        Assert.Equal(typeof(ArgumentOutOfRangeException).FullName, failingChild?.FailureDetails?.ErrorType);
        Assert.Equal(2, history.OfType<SubOrchestrationInstanceCreatedEvent>().Count());
        Assert.Single(history.OfType<SubOrchestrationInstanceCompletedEvent>());
        Assert.Single(history.OfType<SubOrchestrationInstanceFailedEvent>());
    }

    [Fact]
    public async Task ContinueAsNew_CountsToThree_LastExecutionKeepsOnlyItsOwnHistory()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Counter, 1, new StartOrchestrationOptions(NewId("counter")), Ct);

        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(3, instance.ReadOutputAs<int>());
        Assert.Equal(3, instance.ReadInputAs<int>());
        Assert.Equal("3", Assert.Single(history.OfType<ExecutionStartedEvent>()).Input);
        Assert.Single(history.OfType<TaskScheduledEvent>());
        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal(1, TestOrchestrations.CountOf(id, $"count-{i}")));
    }

    [Fact]
    public async Task ScheduleNew_InputAndOutputLargerThan64KiB_RoundTripThroughBlobs()
    {
        // Random text does not compress below the queue's 64 KiB limit.
        var large = Convert.ToBase64String(new Random(42).GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 150_000));
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Echo, large, new StartOrchestrationOptions(NewId("large")), Ct);

        var instance = await Client.WaitForFinishAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(large, instance.ReadInputAs<string>());
        Assert.Equal(large, instance.ReadOutputAs<string>());
        var container = new BlobServiceClient(hub.Emulators.StorageConnectionString).GetBlobContainerClient($"{hub.Host.TaskHubName.ToLowerInvariant()}-largemessages");
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, id + "/", Ct))
        {
            blobs.Add(blob.Name);
        }

        Assert.True(blobs.Count >= 2, $"Expected the input and the output in blobs, found: {string.Join(", ", blobs)}.");
    }

    /// <summary>For each retry timer, how far after the orchestration's time at that step it was set to fire.</summary>
    private static List<TimeSpan> RetryDelays(IList<HistoryEvent> history)
    {
        var delays = new List<TimeSpan>();
        DateTime? now = null;
        foreach (var e in history)
        {
            if (e is OrchestratorStartedEvent started)
            {
                now = started.Timestamp;
            }
            else if (e is TimerCreatedEvent timer && now is { } at)
            {
                delays.Add(timer.FireAt - at);
            }
        }

        return delays;
    }
}
