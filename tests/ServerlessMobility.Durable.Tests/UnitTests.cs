using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;
using ServerlessMobility.Durable.Replay;
using ServerlessMobility.Durable.Storage;

namespace ServerlessMobility.Durable.Tests;

/// <summary>The pure pieces: the replay executor on hand-built histories, partitioning, list filters.</summary>
public class OrchestrationExecutorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static OrchestrationExecutor Executor() => new(
        name => name switch
        {
            "Test.Sequence" => new SequenceWorkflow(),
            "Test.Approval" => new ApprovalWorkflow(),
            _ => null,
        },
        NullLoggerFactory.Instance);

    private static HistoryEvent Started(string name, string input) => new(HistoryEventType.ExecutionStarted, T0) { Name = name, Payload = input, ExecutionId = "e1" };

    private static HistoryEvent Episode(int minutes) => new(HistoryEventType.OrchestratorStarted, T0.AddMinutes(minutes));

    [Fact]
    public void Execute_FirstEpisode_SchedulesFirstActivityOnly()
    {
        var result = Executor().Execute("i1", [], [Episode(0), Started("Test.Sequence", "2")], null);

        var scheduled = Assert.Single(result.NewScheduling);
        Assert.Equal(HistoryEventType.TaskScheduled, scheduled.Type);
        Assert.Equal(("Test.Count", 0, "1"), (scheduled.Name, scheduled.TaskId, scheduled.Payload));
        Assert.Equal(WorkflowRuntimeStatus.Running, result.Status);
    }

    [Fact]
    public void Execute_ReplayWithRecordedCompletions_CompletesWithoutSchedulingAgain()
    {
        var past = new List<HistoryEvent>
        {
            Episode(0), Started("Test.Sequence", "2"),
            new(HistoryEventType.TaskScheduled, T0) { TaskId = 0, Name = "Test.Count", Payload = "1" },
            Episode(1), new(HistoryEventType.TaskCompleted, T0.AddMinutes(1)) { TaskId = 0, Payload = "10" },
            new(HistoryEventType.TaskScheduled, T0.AddMinutes(1)) { TaskId = 1, Name = "Test.Count", Payload = "2" },
        };

        var result = Executor().Execute("i1", past, [Episode(2), new(HistoryEventType.TaskCompleted, T0.AddMinutes(2)) { TaskId = 1, Payload = "20" }], null);

        Assert.Empty(result.NewScheduling);
        Assert.Equal(WorkflowRuntimeStatus.Completed, result.Status);
        Assert.Equal("30", result.Output);
        Assert.Equal(HistoryEventType.ExecutionCompleted, result.NewEvents[^1].Type);
    }

    [Fact]
    public void Execute_HistoryNamesAnotherActivity_FailsAsNonDeterministic()
    {
        var past = new List<HistoryEvent>
        {
            Episode(0), Started("Test.Sequence", "2"),
            new(HistoryEventType.TaskScheduled, T0) { TaskId = 0, Name = "Test.Renamed", Payload = "1" },
        };

        var result = Executor().Execute("i1", past, [Episode(1), new(HistoryEventType.TaskCompleted, T0.AddMinutes(1)) { TaskId = 0, Payload = "10" }], null);

        Assert.Equal(WorkflowRuntimeStatus.Failed, result.Status);
        Assert.Equal(typeof(NonDeterministicWorkflowException).FullName, result.Failure!.ErrorType);
    }

    [Fact]
    public void Execute_TimerFiresBeforeEvent_TimesOutWithEventName()
    {
        var past = new List<HistoryEvent>
        {
            Episode(0), Started("Test.Approval", "1"),
            new(HistoryEventType.TimerCreated, T0) { TaskId = 0, FireAt = T0.AddHours(1) },
        };

        var result = Executor().Execute("i1", past, [Episode(60), new(HistoryEventType.TimerFired, T0.AddHours(1)) { TaskId = 0 }], null);

        Assert.Equal("\"timed out waiting for Approval\"", result.Output);
    }

    [Fact]
    public void Execute_UnknownWorkflowName_Fails()
    {
        var result = Executor().Execute("i1", [], [Episode(0), Started("Nope", "1")], null);

        Assert.Equal(WorkflowRuntimeStatus.Failed, result.Status);
        Assert.Contains("Nope", result.Failure!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NewGuid_SameInstanceAndTime_IsDeterministicAndVersion5()
    {
        var a = new ReplayWorkflowContext("i1", NullLoggerFactory.Instance) { CurrentUtcDateTime = T0 };
        var b = new ReplayWorkflowContext("i1", NullLoggerFactory.Instance) { CurrentUtcDateTime = T0 };

        var first = a.NewGuid();

        Assert.Equal(first, b.NewGuid());
        Assert.NotEqual(first, a.NewGuid());
        Assert.Equal(5, first.Version);
    }
}

public class PartitioningAndFilterTests
{
    [Fact]
    public void PartitionOf_ManyIds_IsStableAndSpreadsOverAllPartitions()
    {
        var partitions = Enumerable.Range(0, 400).Select(i => DurableStore.PartitionOf($"order-{i}", 4)).ToList();

        Assert.Equal(DurableStore.PartitionOf("order-17", 4), partitions[17]);
        Assert.All(Enumerable.Range(0, 4), p => Assert.InRange(partitions.Count(x => x == p), 60, 140));
    }

    [Fact]
    public void BuildFilter_AllFilters_CombinesEscapedClauses()
    {
        var filter = LocalWorkflowClient.BuildFilter(new WorkflowQuery
        {
            Statuses = [WorkflowRuntimeStatus.Running, WorkflowRuntimeStatus.Pending],
            InstanceIdPrefix = "o'rder",
            TenantId = "dealer-a",
            CreatedFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });

        Assert.Contains("(RuntimeStatus eq 'Running' or RuntimeStatus eq 'Pending')", filter, StringComparison.Ordinal);
        Assert.Contains("PartitionKey ge 'o''rder' and PartitionKey lt 'o''rdes'", filter, StringComparison.Ordinal);
        Assert.Contains("TenantId eq 'dealer-a'", filter, StringComparison.Ordinal);
        Assert.Contains("CreatedAt ge datetime'2026-01-01T00:00:00", filter, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildFilter_NoFilters_IsNull() => Assert.Null(LocalWorkflowClient.BuildFilter(new WorkflowQuery()));

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("")]
    public void ValidateInstanceId_ForbiddenCharacters_Throws(string id) =>
        Assert.Throws<ArgumentException>(() => LocalWorkflowClient.ValidateInstanceId(id));
}
