using System.Collections.Concurrent;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;
using ServerlessMobility.Durable.Replay;
using ServerlessMobility.Durable.Storage;

namespace ServerlessMobility.Durable.Dispatch;

/// <summary>
/// Applies a batch of control messages to one instance: loads (or reuses) its history, drops
/// duplicates, runs an episode, sends what the episode scheduled, commits the new events in one
/// conditional batch, updates the instances table, and only then deletes the messages.
/// </summary>
/// <remarks>
/// Messages go out before the history commit (as the Durable Task Azure Storage provider does): a crash
/// in between re-runs the episode from the same messages and sends them again, which at worst runs an
/// activity twice; the duplicate completion is then dropped because its task id is already completed.
/// </remarks>
internal sealed partial class OrchestrationProcessor
{
    private const int MaxDeferrals = 50;
    private readonly DurableStore _store;
    private readonly OrchestrationExecutor _executor;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OrchestrationProcessor> _logger;
    private readonly ConcurrentDictionary<string, LoadedHistory> _cache = new(StringComparer.Ordinal);

    public OrchestrationProcessor(DurableStore store, IServiceProvider services, WorkflowRegistry registry, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _store = store;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<OrchestrationProcessor>();
        _executor = new OrchestrationExecutor(
            name => registry.Workflows.TryGetValue(name, out var type) ? (IWorkflow)services.GetRequiredService(type) : null,
            loggerFactory);
    }

    /// <summary>Forgets cached histories of a partition (when its lease is gained, another host may have written them).</summary>
    public void Invalidate(int partition)
    {
        foreach (var key in _cache.Keys.Where(k => _store.PartitionOf(k) == partition).ToList())
        {
            _cache.TryRemove(key, out _);
        }
    }

    public async Task ProcessAsync(QueueClientRef queue, string instanceId, IReadOnlyList<(QueueMessage Raw, ControlMessage Message)> batch, CancellationToken cancellationToken)
    {
        // A first delivery of a brand-new instance's start needs no read: if history did exist after all,
        // the sentinel insert fails and the redelivered messages (dequeue count > 1) load it.
        var brandNew = batch.Any(m => m.Message.NewInstance && m.Raw.DequeueCount == 1);
        var loaded = _cache.TryGetValue(instanceId, out var cached) ? cached
            : brandNew ? null
            : await _store.LoadHistoryAsync(instanceId, cancellationToken);
        var state = loaded?.State;
        var events = loaded?.Events ?? [];
        var completed = events.Where(e => e.IsTaskCompletion).Select(e => e.TaskId).ToHashSet();
        var scheduled = events.Where(e => e.IsTaskScheduling).Select(e => e.TaskId).ToHashSet();
        var raised = events.Where(e => e.MessageId is not null).Select(e => e.MessageId!).ToHashSet(StringComparer.Ordinal);

        var accepted = new List<HistoryEvent>();
        var toDelete = new List<QueueMessage>();
        var toDefer = new List<QueueMessage>();
        HistoryEvent? restart = null;
        var redelivered = false;

        // ExecutionStarted first: a raise or terminate sent right after a start may be dequeued in the same batch.
        foreach (var (raw, message) in batch.OrderBy(m => m.Message.Event.Type == HistoryEventType.ExecutionStarted ? 0 : 1))
        {
            redelivered |= raw.DequeueCount > 1;
            var e = message.Event;
            var verdict = Classify(state, message, completed, scheduled, raised, restart is not null);
            switch (verdict)
            {
                case Verdict.Accept:
                    if (e.Type == HistoryEventType.ExecutionStarted)
                    {
                        restart = e;
                    }
                    else
                    {
                        accepted.Add(e);
                        if (e.IsTaskCompletion)
                        {
                            completed.Add(e.TaskId);
                        }

                        if (e.MessageId is not null)
                        {
                            raised.Add(e.MessageId);
                        }
                    }

                    toDelete.Add(raw);
                    break;
                case Verdict.Defer when raw.DequeueCount < MaxDeferrals:
                    toDefer.Add(raw);
                    break;
                default:
                    toDelete.Add(raw);
                    break;
            }
        }

        if (restart is null && accepted.Count == 0)
        {
            if (redelivered && loaded is not null)
            {
                // The messages were applied before a crash that came before the instances-table update: redo it.
                await _store.UpsertInstanceAsync(loaded.State, cancellationToken);
            }

            await FinishMessagesAsync(queue, toDelete, toDefer, cancellationToken);
            return;
        }

        var now = _timeProvider.GetUtcNow();
        InstanceState newState;
        List<HistoryEvent> past;
        List<HistoryEvent> appended;
        var firstSequence = 0;
        var executionChanged = false;

        if (restart is not null && (state is null || state.ExecutionId != restart.ExecutionId))
        {
            newState = new InstanceState
            {
                InstanceId = instanceId,
                Name = restart.Name!,
                ExecutionId = restart.ExecutionId!,
                Status = WorkflowRuntimeStatus.Running,
                CreatedAt = restart.Timestamp,
                LastUpdatedAt = now,
                TenantId = restart.TenantId,
                Input = restart.Payload,
                Parent = restart.Parent,
            };
            past = [];
            appended = [new HistoryEvent(HistoryEventType.OrchestratorStarted, now), restart, .. accepted];
            executionChanged = state is not null;
        }
        else
        {
            newState = state!;
            past = events;
            appended = [new HistoryEvent(HistoryEventType.OrchestratorStarted, now), .. accepted];
            firstSequence = events.Count;
        }

        var outbound = new List<Func<Task>>();
        var terminate = appended.FirstOrDefault(e => e.Type == HistoryEventType.ExecutionTerminated);
        if (terminate is not null)
        {
            appended = [.. appended.TakeWhile(e => e != terminate), terminate];
            newState = newState with { Status = WorkflowRuntimeStatus.Terminated, Output = terminate.Payload, LastUpdatedAt = now };
            NotifyParent(newState, outbound, now);
        }
        else
        {
            var customStatus = newState.CustomStatus;
            for (var continuations = 0; ; continuations++)
            {
                var result = _executor.Execute(instanceId, past, appended, customStatus);
                appended = result.NewEvents;
                newState = newState with
                {
                    Status = result.Status,
                    Output = result.Output,
                    Failure = result.Failure,
                    CustomStatus = result.CustomStatus,
                    LastUpdatedAt = now,
                };
                if (!result.ContinueAsNew)
                {
                    break;
                }

                // Continue-as-new: the next execution starts at once, with a fresh history and the
                // unconsumed external events; the old execution's rows are deleted after the commit.
                if (continuations >= 100)
                {
                    newState = newState with { Status = WorkflowRuntimeStatus.Failed, Failure = new WorkflowFailureDetails(typeof(InvalidOperationException).FullName!, "The workflow continued as new 100 times in one episode without waiting for anything.") };
                    appended = [.. appended, new HistoryEvent(HistoryEventType.ExecutionFailed, now) { Failure = newState.Failure }];
                    break;
                }

                var executionId = Guid.NewGuid().ToString("N");
                newState = newState with { ExecutionId = executionId, Input = result.ContinueAsNewInput, Status = WorkflowRuntimeStatus.Running, Output = null };
                past = [];
                firstSequence = 0;
                executionChanged = true;
                customStatus = result.CustomStatus;
                appended =
                [
                    new HistoryEvent(HistoryEventType.OrchestratorStarted, now),
                    new HistoryEvent(HistoryEventType.ExecutionStarted, now) { Name = newState.Name, Payload = result.ContinueAsNewInput, ExecutionId = executionId, Parent = newState.Parent, TenantId = newState.TenantId },
                    .. result.CarriedEvents,
                ];
            }

            foreach (var e in appended.Where(e => e.IsTaskScheduling))
            {
                outbound.Add(Schedule(newState, e));
            }

            if (newState.Status is WorkflowRuntimeStatus.Completed or WorkflowRuntimeStatus.Failed)
            {
                NotifyParent(newState, outbound, now);
            }
        }

        await Task.WhenAll(outbound.Select(send => send()));

        var etag = await _store.CommitHistoryAsync(newState, firstSequence, appended, loaded?.ETag, cancellationToken);
        if (etag is null)
        {
            // Another host wrote this instance (our lease was lost, or a duplicate start raced): let the
            // messages reappear for whoever owns the partition now.
            _cache.TryRemove(instanceId, out _);
            LogCommitConflict(_logger, instanceId);
            return;
        }

        var previousStatus = state?.Status;
        if (previousStatus != newState.Status || state?.CustomStatus != newState.CustomStatus || executionChanged || redelivered)
        {
            await _store.UpsertInstanceAsync(newState, cancellationToken);
        }

        if (newState.Status.IsTerminal())
        {
            _cache.TryRemove(instanceId, out _);
        }
        else
        {
            _cache[instanceId] = new LoadedHistory(newState, [.. past, .. appended], etag.Value);
        }
        if (executionChanged)
        {
            _ = DeleteOldExecutionsAsync(instanceId, newState.ExecutionId);
        }

        await FinishMessagesAsync(queue, toDelete, toDefer, cancellationToken);
    }

    private enum Verdict
    {
        Accept,
        Drop,
        Defer,
    }

    private static Verdict Classify(InstanceState? state, ControlMessage message, HashSet<int> completed, HashSet<int> scheduled, HashSet<string> raised, bool restartInBatch)
    {
        var e = message.Event;
        if (e.Type == HistoryEventType.ExecutionStarted)
        {
            if (restartInBatch || (state is not null && (state.ExecutionId == e.ExecutionId || !state.Status.IsTerminal())))
            {
                return Verdict.Drop;
            }

            return Verdict.Accept;
        }

        if (state is null)
        {
            // Nothing started yet (the start may still be in flight): try again later.
            return restartInBatch && !e.IsTaskCompletion ? Verdict.Accept : Verdict.Defer;
        }

        if (state.Status.IsTerminal())
        {
            return Verdict.Drop;
        }

        switch (e.Type)
        {
            case HistoryEventType.EventRaised:
            case HistoryEventType.ExecutionTerminated:
                return raised.Contains(e.MessageId ?? string.Empty) ? Verdict.Drop : Verdict.Accept;
            case HistoryEventType.ExecutionSuspended:
                return state.Status == WorkflowRuntimeStatus.Suspended || raised.Contains(e.MessageId ?? string.Empty) ? Verdict.Drop : Verdict.Accept;
            case HistoryEventType.ExecutionResumed:
                return state.Status != WorkflowRuntimeStatus.Suspended || raised.Contains(e.MessageId ?? string.Empty) ? Verdict.Drop : Verdict.Accept;
            default:
                if (message.ExecutionId != state.ExecutionId || completed.Contains(e.TaskId))
                {
                    // For an older execution, or a completion already applied (at-least-once delivery).
                    return Verdict.Drop;
                }

                // A completion can overtake the commit of its scheduling only after a crash or a lost race.
                return scheduled.Contains(e.TaskId) ? Verdict.Accept : Verdict.Defer;
        }
    }

    private Func<Task> Schedule(InstanceState state, HistoryEvent e) => e.Type switch
    {
        HistoryEventType.TaskScheduled => () => _store.SendWorkItemAsync(new ActivityWorkItem(state.InstanceId, state.ExecutionId, e.TaskId, e.Name!, e.Payload), CancellationToken.None),
        HistoryEventType.TimerCreated => () => _store.AddTimerAsync(
            e.FireAt!.Value,
            new ControlMessage(state.InstanceId, state.ExecutionId, new HistoryEvent(HistoryEventType.TimerFired, e.FireAt!.Value) { TaskId = e.TaskId, FireAt = e.FireAt }, $"{state.InstanceId}_{state.ExecutionId}_{e.TaskId}"),
            CancellationToken.None),
        _ => () => _store.SendControlAsync(
            new ControlMessage(e.SubInstanceId!, null, new HistoryEvent(HistoryEventType.ExecutionStarted, e.Timestamp)
            {
                Name = e.Name,
                Payload = e.Payload,
                // Deterministic, so a re-sent start after a crash is recognised as the same execution.
                ExecutionId = $"{state.ExecutionId}-{e.TaskId}",
                Parent = new ParentInstance(state.InstanceId, state.ExecutionId, e.TaskId),
                TenantId = state.TenantId,
            }, Guid.NewGuid().ToString("N")),
            CancellationToken.None),
    };

    private void NotifyParent(InstanceState state, List<Func<Task>> outbound, DateTimeOffset now)
    {
        if (state.Parent is not { } parent)
        {
            return;
        }

        var e = state.Status == WorkflowRuntimeStatus.Completed
            ? new HistoryEvent(HistoryEventType.SubOrchestrationInstanceCompleted, now) { TaskId = parent.TaskId, Payload = state.Output }
            : new HistoryEvent(HistoryEventType.SubOrchestrationInstanceFailed, now)
            {
                TaskId = parent.TaskId,
                Failure = state.Failure ?? new WorkflowFailureDetails("Terminated", $"Sub-workflow '{state.InstanceId}' was terminated."),
            };
        outbound.Add(() => _store.SendControlAsync(new ControlMessage(parent.InstanceId, parent.ExecutionId, e, Guid.NewGuid().ToString("N")), CancellationToken.None));
    }

    private static async Task FinishMessagesAsync(QueueClientRef queue, List<QueueMessage> toDelete, List<QueueMessage> toDefer, CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            toDelete.Select(m => queue.DeleteAsync(m, cancellationToken))
                .Concat(toDefer.Select(m => queue.DeferAsync(m, cancellationToken))));
    }

    private async Task DeleteOldExecutionsAsync(string instanceId, string executionId)
    {
        try
        {
            await _store.DeleteOtherExecutionsAsync(instanceId, executionId, CancellationToken.None);
        }
#pragma warning disable CA1031 // clean-up only: leftover rows are ignored on load and purged with the instance
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCleanupFailed(_logger, ex, instanceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "History commit for {InstanceId} lost to another writer; its messages will be retried.")]
    private static partial void LogCommitConflict(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete old execution rows of {InstanceId}.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string instanceId);
}
