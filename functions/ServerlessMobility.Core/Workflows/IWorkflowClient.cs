namespace ServerlessMobility.Core.Workflows;

/// <summary>
/// Starts and manages workflow instances: Durable Functions' DurableTaskClient in Azure, the local
/// engine's client on the local host. Use cases and endpoints depend on this port only.
/// </summary>
public interface IWorkflowClient
{
    /// <summary>
    /// Schedules a new instance. With an explicit instance id that already exists and is not in a
    /// terminal state, nothing new is scheduled and the existing id is returned (idempotent start).
    /// </summary>
    Task<string> ScheduleNewAsync(string workflowName, object? input = null, WorkflowStartOptions? options = null, CancellationToken cancellationToken = default);

    /// <returns>null when no instance has that id.</returns>
    Task<WorkflowInstance?> GetInstanceAsync(string instanceId, bool includeInputsAndOutputs = true, bool includeHistory = false, CancellationToken cancellationToken = default);

    /// <exception cref="WorkflowInstanceNotFoundException">No such instance.</exception>
    Task RaiseEventAsync(string instanceId, string eventName, object? payload = null, CancellationToken cancellationToken = default);

    /// <exception cref="WorkflowInstanceNotFoundException">No such instance.</exception>
    Task TerminateAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <exception cref="WorkflowInstanceNotFoundException">No such instance.</exception>
    Task SuspendAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <exception cref="WorkflowInstanceNotFoundException">No such instance.</exception>
    Task ResumeAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a terminal instance's state and history.</summary>
    /// <returns>The number of instances purged (0 or 1).</returns>
    Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the state and history of every terminal instance matching the filter.</summary>
    Task<int> PurgeAsync(WorkflowPurgeFilter filter, CancellationToken cancellationToken = default);

    Task<WorkflowPage> ListAsync(WorkflowQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Options for <see cref="IWorkflowClient.ScheduleNewAsync"/>.</summary>
public sealed record WorkflowStartOptions
{
    public string? InstanceId { get; init; }

    /// <summary>Start no earlier than this time (a scheduled start).</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>Owning tenant, used to scope the management API to the caller's tenant.</summary>
    public string? TenantId { get; init; }
}

/// <summary>Runtime states, named as Durable Functions names them in its status API.</summary>
public enum WorkflowRuntimeStatus
{
    Pending,
    Running,
    Completed,
    ContinuedAsNew,
    Failed,
    Canceled,
    Terminated,
    Suspended,
}

public static class WorkflowRuntimeStatusExtensions
{
    public static bool IsTerminal(this WorkflowRuntimeStatus status) =>
        status is WorkflowRuntimeStatus.Completed or WorkflowRuntimeStatus.Failed
            or WorkflowRuntimeStatus.Terminated or WorkflowRuntimeStatus.Canceled;
}

/// <summary>The state of one instance. Payloads are the JSON the engine stored.</summary>
public sealed record WorkflowInstance
{
    public required string InstanceId { get; init; }

    public required string Name { get; init; }

    public required WorkflowRuntimeStatus RuntimeStatus { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastUpdatedAt { get; init; }

    public string? TenantId { get; init; }

    public string? SerializedInput { get; init; }

    public string? SerializedOutput { get; init; }

    public string? SerializedCustomStatus { get; init; }

    public WorkflowFailureDetails? FailureDetails { get; init; }

    public IReadOnlyList<WorkflowHistoryEvent>? History { get; init; }
}

/// <summary>One event of an instance's history, as exposed by the status API's historyEvents.</summary>
public sealed record WorkflowHistoryEvent(
    int EventId,
    string EventType,
    DateTimeOffset Timestamp,
    string? Name = null,
    string? SerializedPayload = null,
    int? ScheduledId = null,
    DateTimeOffset? FireAt = null,
    WorkflowFailureDetails? FailureDetails = null);

/// <summary>Filters for <see cref="IWorkflowClient.ListAsync"/>; null means no filter.</summary>
public sealed record WorkflowQuery
{
    public IReadOnlyCollection<WorkflowRuntimeStatus>? Statuses { get; init; }

    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public string? InstanceIdPrefix { get; init; }

    public string? TenantId { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }

    public bool IncludeInputsAndOutputs { get; init; }
}

public sealed record WorkflowPage(IReadOnlyList<WorkflowInstance> Instances, string? ContinuationToken);

/// <summary>Filters for bulk purge; only terminal instances are ever purged.</summary>
public sealed record WorkflowPurgeFilter
{
    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public IReadOnlyCollection<WorkflowRuntimeStatus>? Statuses { get; init; }

    public string? TenantId { get; init; }
}

public sealed class WorkflowInstanceNotFoundException : Exception
{
    public WorkflowInstanceNotFoundException(string instanceId)
        : base($"No workflow instance has the id '{instanceId}'.")
    {
        InstanceId = instanceId;
    }

    public WorkflowInstanceNotFoundException()
        : this(string.Empty)
    {
    }

    public WorkflowInstanceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        InstanceId = string.Empty;
    }

    public string InstanceId { get; }
}
