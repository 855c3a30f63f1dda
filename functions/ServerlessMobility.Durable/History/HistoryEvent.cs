using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.Durable.History;

/// <summary>The kinds of history events, named as Durable Task names them.</summary>
internal enum HistoryEventType
{
    OrchestratorStarted,
    ExecutionStarted,
    ExecutionCompleted,
    ExecutionFailed,
    ExecutionTerminated,
    ExecutionSuspended,
    ExecutionResumed,
    TaskScheduled,
    TaskCompleted,
    TaskFailed,
    TimerCreated,
    TimerFired,
    SubOrchestrationInstanceCreated,
    SubOrchestrationInstanceCompleted,
    SubOrchestrationInstanceFailed,
    EventRaised,
}

/// <summary>Where a sub-workflow reports its completion.</summary>
internal sealed record ParentInstance(string InstanceId, string ExecutionId, int TaskId);

/// <summary>
/// One event of an execution's history. Scheduling events (TaskScheduled, TimerCreated,
/// SubOrchestrationInstanceCreated) carry their task id in <see cref="TaskId"/>; completions carry
/// the id of the task they complete, which is what makes a duplicate completion detectable.
/// </summary>
internal sealed record HistoryEvent(HistoryEventType Type, DateTimeOffset Timestamp)
{
    public int TaskId { get; init; } = -1;

    /// <summary>Activity, workflow, sub-workflow or event name.</summary>
    public string? Name { get; init; }

    /// <summary>JSON: input, result, event data, output or termination reason.</summary>
    public string? Payload { get; init; }

    public DateTimeOffset? FireAt { get; init; }

    public WorkflowFailureDetails? Failure { get; init; }

    /// <summary>SubOrchestrationInstanceCreated: the child's instance id.</summary>
    public string? SubInstanceId { get; init; }

    /// <summary>EventRaised: the id of the message that carried it, to drop a redelivered duplicate.</summary>
    public string? MessageId { get; init; }

    /// <summary>ExecutionStarted: the execution it starts.</summary>
    public string? ExecutionId { get; init; }

    public ParentInstance? Parent { get; init; }

    public string? TenantId { get; init; }

    public bool IsTaskCompletion => Type is HistoryEventType.TaskCompleted or HistoryEventType.TaskFailed or HistoryEventType.TimerFired
        or HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.SubOrchestrationInstanceFailed;

    public bool IsTaskScheduling => Type is HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated or HistoryEventType.SubOrchestrationInstanceCreated;

    public WorkflowHistoryEvent ToPublic(bool includePayload) => new(
        IsTaskScheduling ? TaskId : -1,
        Type.ToString(),
        Timestamp,
        Name,
        includePayload ? Payload : null,
        IsTaskCompletion ? TaskId : null,
        FireAt,
        Failure);
}

/// <summary>
/// A message on a partition's control queue: one history event for one instance. The execution id
/// lets a message for an execution that has since continued as new (or restarted) be dropped.
/// </summary>
internal sealed record ControlMessage(string InstanceId, string? ExecutionId, HistoryEvent Event, string MessageId)
{
    /// <summary>A start whose client has just inserted the instance row: no history can exist, so none is read.</summary>
    public bool NewInstance { get; init; }
}

/// <summary>A message on the work-item queue: one activity call.</summary>
internal sealed record ActivityWorkItem(string InstanceId, string ExecutionId, int TaskId, string Name, string? Input);

/// <summary>The state of one instance as kept on its history sentinel row and copied to the instances table.</summary>
internal sealed record InstanceState
{
    public required string InstanceId { get; init; }

    public required string Name { get; init; }

    public required string ExecutionId { get; init; }

    public required WorkflowRuntimeStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastUpdatedAt { get; init; }

    public string? TenantId { get; init; }

    public string? Input { get; init; }

    public string? Output { get; init; }

    public string? CustomStatus { get; init; }

    public WorkflowFailureDetails? Failure { get; init; }

    public ParentInstance? Parent { get; init; }
}
