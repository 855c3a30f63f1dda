using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// A deterministic, single-threaded stand-in for the durable engine until it is merged: virtual time
/// that jumps from timer to timer, activities run in-line with JSON round trips of their inputs and
/// outputs (as the engine stores them), external events buffered until awaited, retry policies on
/// timers, and continue-as-new restarting the workflow with the new input. Time moves only when
/// the workflow waits, so a year of instalments runs in milliseconds.
/// </summary>
internal sealed class WorkflowHarness(string instanceId, DateTimeOffset start) : IWorkflowContext
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<(DateTimeOffset At, long Seq, Action Fire)> _timers = [];
    private readonly Dictionary<string, Queue<string>> _buffered = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<Action<string>>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IWorkflowActivity> _activities = new(StringComparer.Ordinal);
    private long _seq;
    private int _taskId;
    private int _guid;
    private object? _continueAsNew;
    private bool _continued;

    public string InstanceId { get; } = instanceId;

    public string Name => "harness";

    public DateTimeOffset CurrentUtcDateTime { get; private set; } = start;

    public bool IsReplaying => false;

    /// <summary>Every activity call: when, which, with what input (as JSON).</summary>
    public List<(DateTimeOffset At, string Name, string Input)> Calls { get; } = [];

    public int Executions { get; private set; }

    public object? CustomStatus { get; private set; }

    public void Register(string name, IWorkflowActivity activity) => _activities[name] = activity;

    /// <summary>Runs <paramref name="action"/> at virtual time <paramref name="at"/> (a customer paying, a vehicle stopping).</summary>
    public void At(DateTimeOffset at, Action action) => AddTimer(at, action);

    public void RaiseEvent(string name, object? payload)
    {
        var json = JsonSerializer.Serialize(payload, Json);
        if (_waiters.TryGetValue(name, out var waiters) && waiters.Count > 0)
        {
            var waiter = waiters[0];
            waiters.RemoveAt(0);
            waiter(json);
            return;
        }

        if (!_buffered.TryGetValue(name, out var queue))
        {
            _buffered[name] = queue = new Queue<string>();
        }

        queue.Enqueue(json);
    }

    /// <summary>Runs executions until the workflow returns without continuing as new, or virtual time passes <paramref name="stopAt"/>.</summary>
    /// <returns>The output, or default when stopped at <paramref name="stopAt"/> with the workflow still waiting.</returns>
    public async Task<TOutput?> RunAsync<TInput, TOutput>(Workflow<TInput, TOutput> workflow, TInput input, DateTimeOffset stopAt)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var current = input;
        while (true)
        {
            Executions++;
            _continued = false;
            var task = workflow.RunAsync(this, current);
            while (!task.IsCompleted)
            {
                if (_timers.Count == 0)
                {
                    throw new InvalidOperationException("The workflow waits for something that can never happen (no timer, no scheduled event).");
                }

                var next = _timers.OrderBy(t => t.At).ThenBy(t => t.Seq).First();
                if (next.At > stopAt)
                {
                    return default;
                }

                _timers.Remove(next);
                if (next.At > CurrentUtcDateTime)
                {
                    CurrentUtcDateTime = next.At;
                }

                next.Fire();
            }

            var output = await task;
            if (!_continued)
            {
                return output;
            }

            // A fresh execution: any timers and waiters of the old one are abandoned, as the engine does; buffered events are kept.
            _timers.RemoveAll(t => t.Fire.Target is TimerOwner);
            _waiters.Clear();
            current = (TInput)_continueAsNew!;
        }
    }

    public Guid NewGuid()
    {
        var bytes = new byte[16];
        BitConverter.GetBytes(++_guid).CopyTo(bytes, 0);
        return new Guid(bytes);
    }

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, RetryPolicy? retryPolicy = null)
    {
        var activity = _activities[name];
        var json = JsonSerializer.Serialize(input, Json);
        var firstAttemptAt = CurrentUtcDateTime;
        for (var attempt = 1; ; attempt++)
        {
            Calls.Add((CurrentUtcDateTime, name, json));
            var taskId = ++_taskId;
            try
            {
                var typedInput = JsonSerializer.Deserialize(json, activity.InputType, Json);
                var result = await activity.RunAsync(new ActivityContext(name, InstanceId, taskId), typedInput, CancellationToken.None);
                return JsonSerializer.Deserialize<TResult>(JsonSerializer.Serialize(result, activity.OutputType, Json), Json)!;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var failure = WorkflowFailureDetails.FromException(exception);
                var delay = retryPolicy?.NextDelay(attempt, CurrentUtcDateTime - firstAttemptAt, failure);
                if (delay is null)
                {
                    throw new WorkflowTaskFailedException(name, taskId, failure);
                }

                await CreateTimer(CurrentUtcDateTime + delay.Value, CancellationToken.None);
            }
        }
    }

    public Task CallActivityAsync(string name, object? input = null, RetryPolicy? retryPolicy = null) =>
        CallActivityAsync<Unit>(name, input, retryPolicy);

    public Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource();
        var owner = new TimerOwner(completion);
        AddTimer(fireAt, owner.Fire);
        cancellationToken.Register(() => _timers.RemoveAll(t => t.Fire.Target == owner));
        return completion.Task;
    }

    public Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (_buffered.TryGetValue(eventName, out var queue) && queue.Count > 0)
        {
            return Task.FromResult(JsonSerializer.Deserialize<T>(queue.Dequeue(), Json)!);
        }

        var completion = new TaskCompletionSource<T>();
        var owner = new TimerOwner(null);
        Action<string> waiter = json =>
        {
            _timers.RemoveAll(t => t.Fire.Target == owner);
            completion.TrySetResult(JsonSerializer.Deserialize<T>(json, Json)!);
        };
        if (!_waiters.TryGetValue(eventName, out var list))
        {
            _waiters[eventName] = list = [];
        }

        list.Add(waiter);
        if (timeout is { } limit)
        {
            owner.OnFire = () =>
            {
                list.Remove(waiter);
                completion.TrySetException(new WorkflowEventTimeoutException(eventName, limit));
            };
            AddTimer(CurrentUtcDateTime + limit, owner.Fire);
        }

        return completion.Task;
    }

    public Task<TResult> CallSubWorkflowAsync<TResult>(string name, object? input = null, string? instanceId = null, RetryPolicy? retryPolicy = null) =>
        throw new NotSupportedException("The collection workflow starts no sub-workflows.");

    public void SetCustomStatus(object? customStatus) => CustomStatus = customStatus;

    public void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true)
    {
        _continued = true;
        _continueAsNew = newInput;
    }

    public ILogger CreateReplaySafeLogger(string categoryName) => NullLogger.Instance;

    private void AddTimer(DateTimeOffset at, Action fire) => _timers.Add((at, ++_seq, fire));

    /// <summary>Identifies the timers of the running execution, so continue-as-new can drop them.</summary>
    private sealed class TimerOwner(TaskCompletionSource? completion)
    {
        public Action? OnFire { get; set; }

        public void Fire()
        {
            completion?.TrySetResult();
            OnFire?.Invoke();
        }
    }
}
