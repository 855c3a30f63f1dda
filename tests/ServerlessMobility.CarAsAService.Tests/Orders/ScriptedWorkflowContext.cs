using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.CarAsAService.Tests.Orders;

/// <summary>
/// Runs a workflow once, straight through, calling the host's real activities (real Cosmos and
/// Azurite) and answering waits from a script. Not a durable engine (no replay): it checks that the
/// workflow and its activities fit together until the engine's end-to-end test can.
/// </summary>
internal sealed class ScriptedWorkflowContext(IServiceProvider services, string instanceId, DateTimeOffset start) : IWorkflowContext
{
    private readonly Dictionary<string, Queue<object>> _events = new(StringComparer.Ordinal);
    private int _taskId;

    public string InstanceId => instanceId;

    public string Name => "scripted";

    public DateTimeOffset CurrentUtcDateTime { get; private set; } = start;

    public bool IsReplaying => false;

    public List<string> Activities { get; } = [];

    public ScriptedWorkflowContext Then(string eventName, object payload)
    {
        if (!_events.TryGetValue(eventName, out var queue))
        {
            _events[eventName] = queue = new Queue<object>();
        }

        queue.Enqueue(payload);
        return this;
    }

    public Guid NewGuid() => Guid.NewGuid();

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, RetryPolicy? retryPolicy = null)
    {
        Activities.Add(name);
        var type = services.GetRequiredService<WorkflowRegistry>().Activities[name];
        var activity = (IWorkflowActivity)services.GetRequiredService(type);
        return (TResult)(await activity.RunAsync(new ActivityContext(name, instanceId, ++_taskId), input, CancellationToken.None))!;
    }

    public Task CallActivityAsync(string name, object? input = null, RetryPolicy? retryPolicy = null) => CallActivityAsync<object>(name, input, retryPolicy);

    public Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        CurrentUtcDateTime = fireAt;
        return Task.CompletedTask;
    }

    public Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (_events.TryGetValue(eventName, out var queue) && queue.Count > 0)
        {
            return Task.FromResult((T)queue.Dequeue());
        }

        var waited = timeout ?? throw new InvalidOperationException($"The script has no '{eventName}' event and the wait has no timeout.");
        CurrentUtcDateTime += waited;
        return Task.FromException<T>(new WorkflowEventTimeoutException(eventName, waited));
    }

    public Task<TResult> CallSubWorkflowAsync<TResult>(string name, object? input = null, string? instanceId = null, RetryPolicy? retryPolicy = null) =>
        throw new NotSupportedException("Not used by the order workflow.");

    public void SetCustomStatus(object? customStatus)
    {
    }

    public void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true) =>
        throw new NotSupportedException("Not used by the order workflow.");

    public ILogger CreateReplaySafeLogger(string categoryName) => NullLogger.Instance;
}
