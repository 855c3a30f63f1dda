using System.Collections.Concurrent;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.CarAsAService.Tests.Http;

/// <summary>
/// Stands in for the durable engine (not yet on this branch) at the HTTP edge: records starts and
/// raised events so tests can see exactly what the endpoints asked the engine to do.
/// </summary>
internal sealed class RecordingWorkflowClient : IWorkflowClient
{
    public ConcurrentQueue<(string Name, WorkflowStartOptions? Options, object? Input)> Started { get; } = new();

    public ConcurrentQueue<(string InstanceId, string EventName, object? Payload)> Raised { get; } = new();

    /// <summary>Instance ids whose next RaiseEventAsync fails as if the engine were down.</summary>
    public ConcurrentDictionary<string, bool> FailNextRaise { get; } = new();

    public ConcurrentDictionary<string, bool> Known { get; } = new();

    public Task<string> ScheduleNewAsync(string workflowName, object? input = null, WorkflowStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        Started.Enqueue((workflowName, options, input));
        Known[id] = true;
        return Task.FromResult(id);
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object? payload = null, CancellationToken cancellationToken = default)
    {
        if (FailNextRaise.TryRemove(instanceId, out _))
        {
            throw new InvalidOperationException("The engine is unavailable.");
        }

        if (!Known.ContainsKey(instanceId))
        {
            throw new WorkflowInstanceNotFoundException(instanceId);
        }

        Raised.Enqueue((instanceId, eventName, payload));
        return Task.CompletedTask;
    }

    public Task<WorkflowInstance?> GetInstanceAsync(string instanceId, bool includeInputsAndOutputs = true, bool includeHistory = false, CancellationToken cancellationToken = default) =>
        Task.FromResult<WorkflowInstance?>(null);

    public Task TerminateAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SuspendAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task ResumeAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<int> PurgeAsync(WorkflowPurgeFilter filter, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<WorkflowPage> ListAsync(WorkflowQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(new WorkflowPage([], null));
}
