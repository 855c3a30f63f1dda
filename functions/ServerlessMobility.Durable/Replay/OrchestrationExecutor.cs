using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;

namespace ServerlessMobility.Durable.Replay;

/// <summary>
/// Runs one episode of a workflow: replays the past history (completing the tasks the code awaits with
/// the recorded results, never calling an activity twice), then applies the new events, and records
/// what the code asked for next. Synchronous on purpose: the workflow's continuations run only on this
/// thread, through <see cref="EpisodeSynchronizationContext"/>.
/// </summary>
internal sealed class OrchestrationExecutor
{
    private readonly Func<string, IWorkflow?> _resolveWorkflow;
    private readonly ILoggerFactory _loggerFactory;

    public OrchestrationExecutor(Func<string, IWorkflow?> resolveWorkflow, ILoggerFactory loggerFactory)
    {
        _resolveWorkflow = resolveWorkflow;
        _loggerFactory = loggerFactory;
    }

    /// <param name="instanceId">The instance.</param>
    /// <param name="past">Events already committed for this execution (replayed).</param>
    /// <param name="inbound">New events of this episode, starting with OrchestratorStarted.</param>
    /// <param name="customStatus">The custom status at the end of the past history.</param>
    public EpisodeResult Execute(string instanceId, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> inbound, string? customStatus)
    {
        var result = new EpisodeResult { CustomStatus = customStatus };
        result.NewEvents.AddRange(inbound);
        var sync = new EpisodeSynchronizationContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(sync);
        try
        {
            Run(instanceId, past, inbound, result, sync);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        return result;
    }

    private void Run(string instanceId, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> inbound, EpisodeResult result, EpisodeSynchronizationContext sync)
    {
        var context = new ReplayWorkflowContext(instanceId, _loggerFactory) { CustomStatus = result.CustomStatus };
        Task? run = null;
        IWorkflow? workflow = null;
        var total = past.Count + inbound.Count;
        for (var i = 0; i < total; i++)
        {
            var e = i < past.Count ? past[i] : inbound[i - past.Count];
            context.IsReplaying = i < past.Count;
            try
            {
                switch (e.Type)
                {
                    case HistoryEventType.OrchestratorStarted:
                        context.CurrentUtcDateTime = e.Timestamp;
                        break;
                    case HistoryEventType.ExecutionStarted:
                        workflow = _resolveWorkflow(e.Name!);
                        context.Name = e.Name!;
                        if (workflow is null)
                        {
                            Fail(result, new WorkflowFailureDetails(typeof(InvalidOperationException).FullName!, $"No workflow is registered with the name '{e.Name}'."));
                            return;
                        }

                        var input = DurableJson.Deserialize(e.Payload, workflow.InputType);
                        run = RunWorkflow(workflow, context, input);
                        break;
                    case HistoryEventType.TaskScheduled:
                    case HistoryEventType.TimerCreated:
                    case HistoryEventType.SubOrchestrationInstanceCreated:
                        context.MatchRecorded(e);
                        break;
                    case HistoryEventType.EventRaised:
                        context.DeliverEvent(e);
                        break;
                    case HistoryEventType.ExecutionSuspended:
                        context.Suspended = true;
                        break;
                    case HistoryEventType.ExecutionResumed:
                        context.Resume();
                        break;
                    default:
                        if (e.IsTaskCompletion)
                        {
                            context.Complete(e);
                        }

                        break;
                }

                sync.Pump();
            }
            catch (NonDeterministicWorkflowException ex)
            {
                Fail(result, WorkflowFailureDetails.FromException(ex));
                return;
            }
        }

        context.IsReplaying = false;
        result.CustomStatus = context.CustomStatus;
        foreach (var scheduled in context.UnrecordedActions())
        {
            result.NewEvents.Add(scheduled with { Timestamp = context.CurrentUtcDateTime });
        }

        if (run is null || !run.IsCompleted)
        {
            result.Status = context.Suspended ? WorkflowRuntimeStatus.Suspended : WorkflowRuntimeStatus.Running;
            return;
        }

        if (run.IsFaulted || run.IsCanceled)
        {
            var exception = run.Exception?.InnerExceptions.Count == 1 ? run.Exception.InnerException! : (Exception?)run.Exception ?? new OperationCanceledException("The workflow was canceled.");
            Fail(result, WorkflowFailureDetails.FromException(exception));
            return;
        }

        if (context.ContinueAsNewRequested)
        {
            result.ContinueAsNew = true;
            result.ContinueAsNewInput = context.ContinueAsNewInput;
            if (context.PreserveUnprocessedEvents)
            {
                result.CarriedEvents.AddRange(context.UnconsumedEvents());
            }

            result.Status = WorkflowRuntimeStatus.ContinuedAsNew;
            return;
        }

        result.Status = WorkflowRuntimeStatus.Completed;
        var output = run.GetType().GetProperty(nameof(Task<object>.Result))?.GetValue(run);
        result.Output = DurableJson.Serialize(output, workflow!.OutputType == typeof(Unit) ? null : workflow.OutputType);
        result.NewEvents.Add(new HistoryEvent(HistoryEventType.ExecutionCompleted, context.CurrentUtcDateTime) { Payload = result.Output });
    }

    private static void Fail(EpisodeResult result, WorkflowFailureDetails failure)
    {
        result.Status = WorkflowRuntimeStatus.Failed;
        result.Failure = failure;
        result.NewEvents.Add(new HistoryEvent(HistoryEventType.ExecutionFailed, result.NewEvents.LastOrDefault()?.Timestamp ?? DateTimeOffset.UnixEpoch) { Failure = failure });
    }

    /// <summary>
    /// Calls the typed RunAsync directly: the untyped <see cref="IWorkflow.RunAsync"/> adapter awaits with
    /// ConfigureAwait(false), which would move its completion to the thread pool, outside the episode.
    /// </summary>
    private static Task RunWorkflow(IWorkflow workflow, ReplayWorkflowContext context, object? input)
    {
        try
        {
            var method = workflow.GetType().GetMethod(nameof(IWorkflow.RunAsync), [typeof(IWorkflowContext), workflow.InputType]);
            if (method is null)
            {
                return workflow.RunAsync(context, input);
            }

            return (Task)method.Invoke(workflow, [context, input])!;
        }
        catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
        {
            return Task.FromException(ex.InnerException);
        }
#pragma warning disable CA1031 // a synchronous throw from workflow code fails the instance like an asynchronous one
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException(ex);
        }
    }
}

/// <summary>The <see cref="IWorkflowContext"/> the local engine gives workflow code during an episode.</summary>
internal sealed class ReplayWorkflowContext(string instanceId, ILoggerFactory loggerFactory) : IWorkflowContext
{
    private readonly Dictionary<int, HistoryEvent> _actions = [];
    private readonly HashSet<int> _recorded = [];
    private readonly Dictionary<int, (TaskCompletionSource<string?> Source, string Name)> _open = [];
    private readonly Dictionary<string, Queue<HistoryEvent>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<TaskCompletionSource<string?>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HistoryEvent> _heldWhileSuspended = [];
    private int _nextTaskId;
    private int _guidCounter;

    public string InstanceId { get; } = instanceId;

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CurrentUtcDateTime { get; set; }

    public bool IsReplaying { get; set; }

    public bool Suspended { get; set; }

    public string? CustomStatus { get; set; }

    public bool ContinueAsNewRequested { get; private set; }

    public string? ContinueAsNewInput { get; private set; }

    public bool PreserveUnprocessedEvents { get; private set; }

    public Guid NewGuid()
    {
        // Name-based (RFC 9562 version 5 layout over SHA-256): the same on every replay.
        var name = $"{InstanceId}|{CurrentUtcDateTime.UtcTicks}|{_guidCounter++}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, RetryPolicy? retryPolicy = null)
    {
        var json = await WithRetry(() => ScheduleActivity(name, input), retryPolicy);
        return DurableJson.Deserialize<TResult>(json);
    }

    public async Task CallActivityAsync(string name, object? input = null, RetryPolicy? retryPolicy = null) =>
        await WithRetry(() => ScheduleActivity(name, input), retryPolicy);

    public Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        var id = _nextTaskId++;
        var source = Open(id, "timer", new HistoryEvent(HistoryEventType.TimerCreated, CurrentUtcDateTime) { TaskId = id, FireAt = fireAt.ToUniversalTime() });
        if (cancellationToken.CanBeCanceled)
        {
            // Durable Functions abandons a cancelled timer: the recorded TimerFired is then ignored.
            cancellationToken.Register(() => source.TrySetCanceled(cancellationToken));
        }

        return source.Task;
    }

    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (_bufferedEvents.TryGetValue(eventName, out var buffered) && buffered.Count > 0)
        {
            return DurableJson.Deserialize<T>(buffered.Dequeue().Payload);
        }

        var waiter = new TaskCompletionSource<string?>();
        if (!_eventWaiters.TryGetValue(eventName, out var waiters))
        {
            _eventWaiters[eventName] = waiters = [];
        }

        waiters.Add(waiter);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                waiters.Remove(waiter);
                waiter.TrySetCanceled(cancellationToken);
            });
        }

        if (timeout is { } limit)
        {
            using var timerCancellation = new CancellationTokenSource();
            var timer = CreateTimer(CurrentUtcDateTime + limit, timerCancellation.Token);
            var first = await Task.WhenAny(waiter.Task, timer);
            if (first == timer && !waiter.Task.IsCompleted)
            {
                waiters.Remove(waiter);
                throw new WorkflowEventTimeoutException(eventName, limit);
            }

            // Synchronously: CancelAsync would run the registration on the thread pool, outside the episode.
#pragma warning disable CA1849
            timerCancellation.Cancel();
#pragma warning restore CA1849
        }

        return DurableJson.Deserialize<T>(await waiter.Task);
    }

    public async Task<TResult> CallSubWorkflowAsync<TResult>(string name, object? input = null, string? instanceId = null, RetryPolicy? retryPolicy = null)
    {
        var json = await WithRetry(
            () =>
            {
                var id = _nextTaskId++;
                var childId = instanceId ?? $"{InstanceId}:{id}";
                return Open(id, name, new HistoryEvent(HistoryEventType.SubOrchestrationInstanceCreated, CurrentUtcDateTime)
                {
                    TaskId = id,
                    Name = name,
                    SubInstanceId = childId,
                    Payload = DurableJson.Serialize(input),
                }).Task;
            },
            retryPolicy);
        return DurableJson.Deserialize<TResult>(json);
    }

    public void SetCustomStatus(object? customStatus) => CustomStatus = DurableJson.Serialize(customStatus);

    public void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true)
    {
        ContinueAsNewRequested = true;
        ContinueAsNewInput = DurableJson.Serialize(newInput);
        PreserveUnprocessedEvents = preserveUnprocessedEvents;
    }

    public ILogger CreateReplaySafeLogger(string categoryName) => new ReplaySafeLogger(loggerFactory.CreateLogger(categoryName), () => IsReplaying);

    /// <summary>A scheduling event found in the past history must be what the code asked for at that id.</summary>
    public void MatchRecorded(HistoryEvent recorded)
    {
        if (!_actions.TryGetValue(recorded.TaskId, out var asked))
        {
            throw new NonDeterministicWorkflowException(
                $"History has {recorded.Type} #{recorded.TaskId} ('{recorded.Name}'), but the workflow code did not schedule task #{recorded.TaskId} at this point on replay.");
        }

        if (asked.Type != recorded.Type || !string.Equals(asked.Name, recorded.Name, StringComparison.Ordinal))
        {
            throw new NonDeterministicWorkflowException(
                $"History has {recorded.Type} #{recorded.TaskId} ('{recorded.Name}'), but on replay the workflow code scheduled {asked.Type} ('{asked.Name}') as task #{recorded.TaskId}.");
        }

        _recorded.Add(recorded.TaskId);
    }

    public IEnumerable<HistoryEvent> UnrecordedActions() =>
        _actions.Where(a => !_recorded.Contains(a.Key)).OrderBy(a => a.Key).Select(a => a.Value);

    public void Complete(HistoryEvent e)
    {
        if (Suspended)
        {
            _heldWhileSuspended.Add(e);
            return;
        }

        if (!_open.Remove(e.TaskId, out var open))
        {
            // A completion for a task the code no longer awaits (an abandoned timer): nothing to do.
            return;
        }

        switch (e.Type)
        {
            case HistoryEventType.TaskFailed:
            case HistoryEventType.SubOrchestrationInstanceFailed:
                open.Source.TrySetException(new WorkflowTaskFailedException(open.Name, e.TaskId, e.Failure ?? new WorkflowFailureDetails("Unknown", "No failure details were recorded.")));
                break;
            default:
                open.Source.TrySetResult(e.Payload);
                break;
        }
    }

    public void DeliverEvent(HistoryEvent e)
    {
        if (Suspended)
        {
            _heldWhileSuspended.Add(e);
            return;
        }

        var name = e.Name ?? string.Empty;
        if (_eventWaiters.TryGetValue(name, out var waiters) && waiters.Count > 0)
        {
            var waiter = waiters[0];
            waiters.RemoveAt(0);
            waiter.TrySetResult(e.Payload);
            return;
        }

        if (!_bufferedEvents.TryGetValue(name, out var queue))
        {
            _bufferedEvents[name] = queue = new Queue<HistoryEvent>();
        }

        queue.Enqueue(e);
    }

    public void Resume()
    {
        Suspended = false;
        var held = _heldWhileSuspended.ToList();
        _heldWhileSuspended.Clear();
        foreach (var e in held)
        {
            if (e.Type == HistoryEventType.EventRaised)
            {
                DeliverEvent(e);
            }
            else
            {
                Complete(e);
            }
        }
    }

    public IEnumerable<HistoryEvent> UnconsumedEvents() =>
        _bufferedEvents.Values.SelectMany(q => q).Concat(_heldWhileSuspended.Where(e => e.Type == HistoryEventType.EventRaised));

    private Task<string?> ScheduleActivity(string name, object? input)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var id = _nextTaskId++;
        return Open(id, name, new HistoryEvent(HistoryEventType.TaskScheduled, CurrentUtcDateTime)
        {
            TaskId = id,
            Name = name,
            Payload = DurableJson.Serialize(input),
        }).Task;
    }

    private TaskCompletionSource<string?> Open(int id, string name, HistoryEvent scheduling)
    {
        var source = new TaskCompletionSource<string?>();
        _actions[id] = scheduling;
        _open[id] = (source, name);
        return source;
    }

    /// <summary>Retries on durable timers, in workflow code, so the attempts and waits are themselves replayed.</summary>
    private async Task<string?> WithRetry(Func<Task<string?>> attempt, RetryPolicy? policy)
    {
        if (policy is null)
        {
            return await attempt();
        }

        var firstAttemptAt = CurrentUtcDateTime;
        for (var attempts = 1; ; attempts++)
        {
            try
            {
                return await attempt();
            }
            catch (WorkflowTaskFailedException ex)
            {
                var delay = policy.NextDelay(attempts, CurrentUtcDateTime - firstAttemptAt, ex.FailureDetails);
                if (delay is null)
                {
                    throw;
                }

                await CreateTimer(CurrentUtcDateTime + delay.Value, CancellationToken.None);
            }
        }
    }
}
