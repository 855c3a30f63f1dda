using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Newtonsoft.Json.Linq;
using ServerlessMobility.Platform.Workflows;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;
using SdkQuery = Microsoft.DurableTask.Client.OrchestrationQuery;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The SDK's <see cref="DurableTaskClient"/> over the local task hub. In Azure the Functions extension hands
/// the app a gRPC client talking to the same kind of backend; here the client speaks to the framework's
/// orchestration service directly (the SDK's own shim for this is not published where we restore from).
/// It keeps the SDK's contract: a start with an id whose status is in <see cref="StartOrchestrationOptions.DedupeStatuses"/>
/// fails with an <see cref="OrchestrationAlreadyExistsException"/> (an <see cref="InvalidOperationException"/>), also when
/// it raced another start of the same id, events for finished or unknown instances are dropped, purges report what they deleted.
/// </summary>
internal sealed class LocalDurableTaskClient(LocalTaskHub hub) : DurableTaskClient("local")
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(1);

    private static DataConverter Converter => WorkflowJson.Converter;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        var started = new ExecutionStartedEvent(-1, Converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version ?? string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags?.ToDictionary(tag => tag.Key, tag => tag.Value, StringComparer.Ordinal),
        };
        var dedupe = options?.DedupeStatuses?.Select(Enum.Parse<OrchestrationStatus>).ToArray();
        await hub.Service.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, dedupe).WaitAsync(cancellation);
        if (dedupe is { Length: > 0 })
        {
            // Two starts that both found no instance both enqueue a start message; the backend keeps the record of
            // whichever wrote it first, silently ignores the other's, and later drops the start message that does
            // not match the record. Only the start whose execution the record names has started anything.
            var states = await hub.Service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: false).WaitAsync(cancellation);
            if (states.FirstOrDefault()?.OrchestrationInstance.ExecutionId != instance.ExecutionId)
            {
                throw new OrchestrationAlreadyExistsException($"An orchestration instance with the ID '{instanceId}' already exists.");
            }
        }

        return instanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new EventRaisedEvent(-1, Converter.Serialize(eventPayload)) { Name = eventName }, cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        hub.Service.ForceTerminateTaskOrchestrationAsync(instanceId, Converter.Serialize(options?.Output)).WaitAsync(cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var states = await hub.Service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: getInputsAndOutputs).WaitAsync(cancellation);
        return states.FirstOrDefault() is { } state ? ToMetadata(state, getInputsAndOutputs) : null;
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(SdkQuery? filter = null) =>
        Pageable.Create(async (string? continuation, int? pageSize, CancellationToken cancellation) =>
        {
            var fetchInputs = filter?.FetchInputsAndOutputs ?? false;
            var result = await hub.Service.GetOrchestrationWithQueryAsync(new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(ToCoreStatus).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? SdkQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = fetchInputs,
                ExcludeEntities = true,
            }, cancellation);
            return new Page<OrchestrationMetadata>([.. result.OrchestrationState.Select(state => ToMetadata(state, fetchInputs))],
                string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
        });

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        for (var delay = TimeSpan.FromMilliseconds(50); ; delay = Next(delay))
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation) is { RuntimeStatus: not OrchestrationRuntimeStatus.Pending } started)
            {
                return started;
            }

            await Task.Delay(delay, cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        for (var delay = TimeSpan.FromMilliseconds(50); ; delay = Next(delay))
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation) is { } instance && instance.RuntimeStatus.IsTerminal())
            {
                return instance;
            }

            await Task.Delay(delay, cancellation);
        }
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var result = await ((IOrchestrationServicePurgeClient)hub.Service).PurgeInstanceStateAsync(instanceId).WaitAsync(cancellation);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var result = await ((IOrchestrationServicePurgeClient)hub.Service).PurgeInstanceStateAsync(new PurgeInstanceFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime, filter.Statuses?.Select(ToCoreStatus))).WaitAsync(cancellation);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <summary>The current execution's history, oldest first.</summary>
    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        var json = await hub.Service.GetOrchestrationHistoryAsync(instanceId, null).WaitAsync(cancellation);

        // The backend writes the events without type names; each names its kind in EventType.
        return [.. JArray.Parse(json).OfType<JObject>().Select(ReadHistoryEvent).OfType<HistoryEvent>()];
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task SendAsync(string instanceId, HistoryEvent @event, CancellationToken cancellation) =>
        hub.Service.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = @event })
            .WaitAsync(cancellation);

    private static TimeSpan Next(TimeSpan delay) => delay * 2 < MaxPollInterval ? delay * 2 : MaxPollInterval;

    private static OrchestrationMetadata ToMetadata(OrchestrationState state, bool includeInputsAndOutputs) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            RuntimeStatus = Enum.Parse<OrchestrationRuntimeStatus>(state.OrchestrationStatus.ToString()),
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = includeInputsAndOutputs ? state.Input : null,
            SerializedOutput = includeInputsAndOutputs ? state.Output : null,
            SerializedCustomStatus = state.Status,
            FailureDetails = ToTaskFailureDetails(state.FailureDetails) ?? FailureFromOutput(state),
            Tags = state.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(state.Tags, StringComparer.Ordinal),
            DataConverter = Converter,
        };

    private static TaskFailureDetails? ToTaskFailureDetails(FailureDetails? details) => details is null
        ? null
        : new TaskFailureDetails(details.ErrorType, details.ErrorMessage, details.StackTrace, ToTaskFailureDetails(details.InnerFailure), null);

    /// <summary>
    /// The Azure Storage backend does not keep a failed instance's <see cref="FailureDetails"/> in its status: it
    /// writes them into the output as "{ErrorType}: {ErrorMessage}" (their ToString). They are read back from there,
    /// so that a failed instance says why, as on other backends; the stack trace is only in the history.
    /// </summary>
    private static TaskFailureDetails? FailureFromOutput(OrchestrationState state)
    {
        if (state.OrchestrationStatus != OrchestrationStatus.Failed || string.IsNullOrEmpty(state.Output))
        {
            return null;
        }

        var separator = state.Output.IndexOf(": ", StringComparison.Ordinal);
        return separator > 0 && !state.Output.AsSpan(0, separator).ContainsAny(' ', '"', '{')
            ? new TaskFailureDetails(state.Output[..separator], state.Output[(separator + 2)..], null, null, null)
            : new TaskFailureDetails("Unknown", state.Output, null, null, null);
    }

    private static OrchestrationStatus ToCoreStatus(OrchestrationRuntimeStatus status) => Enum.Parse<OrchestrationStatus>(status.ToString());

    private static HistoryEvent? ReadHistoryEvent(JObject json)
    {
        var kind = json.Value<int?>(nameof(HistoryEvent.EventType)) is { } value ? (EventType?)value : null;
        Type? type = kind switch
        {
            EventType.ExecutionStarted => typeof(ExecutionStartedEvent),
            EventType.ExecutionCompleted => typeof(ExecutionCompletedEvent),
            EventType.ExecutionTerminated => typeof(ExecutionTerminatedEvent),
            EventType.ExecutionSuspended => typeof(ExecutionSuspendedEvent),
            EventType.ExecutionResumed => typeof(ExecutionResumedEvent),
            EventType.TaskScheduled => typeof(TaskScheduledEvent),
            EventType.TaskCompleted => typeof(TaskCompletedEvent),
            EventType.TaskFailed => typeof(TaskFailedEvent),
            EventType.SubOrchestrationInstanceCreated => typeof(SubOrchestrationInstanceCreatedEvent),
            EventType.SubOrchestrationInstanceCompleted => typeof(SubOrchestrationInstanceCompletedEvent),
            EventType.SubOrchestrationInstanceFailed => typeof(SubOrchestrationInstanceFailedEvent),
            EventType.TimerCreated => typeof(TimerCreatedEvent),
            EventType.TimerFired => typeof(TimerFiredEvent),
            EventType.OrchestratorStarted => typeof(OrchestratorStartedEvent),
            EventType.OrchestratorCompleted => typeof(OrchestratorCompletedEvent),
            EventType.EventSent => typeof(EventSentEvent),
            EventType.EventRaised => typeof(EventRaisedEvent),
            EventType.ContinueAsNew => typeof(ContinueAsNewEvent),
            EventType.GenericEvent => typeof(GenericEvent),
            EventType.HistoryState => typeof(HistoryStateEvent),
            _ => null,
        };
        return type is null ? null : (HistoryEvent?)json.ToObject(type);
    }
}
