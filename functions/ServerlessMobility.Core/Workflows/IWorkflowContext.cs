using Microsoft.Extensions.Logging;

namespace ServerlessMobility.Core.Workflows;

/// <summary>
/// The orchestration context a workflow is written against. Shaped after Durable Functions'
/// TaskOrchestrationContext so that the Azure host can wrap the real one and the local engine can
/// implement it over its own event-sourced history. Workflow code must take time, ids and randomness
/// only from here: it is replayed many times and must make the same decisions each time.
/// </summary>
public interface IWorkflowContext
{
    string InstanceId { get; }

    string Name { get; }

    /// <summary>Replay-safe UTC time: the timestamp of the history event being processed.</summary>
    DateTimeOffset CurrentUtcDateTime { get; }

    bool IsReplaying { get; }

    /// <summary>A deterministic GUID (name-based on the instance id and a per-instance counter).</summary>
    Guid NewGuid();

    /// <summary>Calls an activity; with a retry policy, failed attempts are retried on durable timers.</summary>
    /// <exception cref="WorkflowTaskFailedException">The activity failed (after all retries).</exception>
    Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, RetryPolicy? retryPolicy = null);

    /// <exception cref="WorkflowTaskFailedException">The activity failed (after all retries).</exception>
    Task CallActivityAsync(string name, object? input = null, RetryPolicy? retryPolicy = null);

    /// <summary>A durable timer. Cancelling the token abandons the timer (as Durable Functions does).</summary>
    Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken);

    /// <summary>Waits for an event raised through <see cref="IWorkflowClient.RaiseEventAsync"/>.</summary>
    /// <exception cref="WorkflowEventTimeoutException">No event arrived within <paramref name="timeout"/>.</exception>
    Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <exception cref="WorkflowTaskFailedException">The sub-workflow failed (after all retries).</exception>
    Task<TResult> CallSubWorkflowAsync<TResult>(string name, object? input = null, string? instanceId = null, RetryPolicy? retryPolicy = null);

    void SetCustomStatus(object? customStatus);

    /// <summary>Restarts the workflow with a fresh history once the current execution returns.</summary>
    void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true);

    /// <summary>A logger that writes nothing while the workflow is replaying.</summary>
    ILogger CreateReplaySafeLogger(string categoryName);
}
