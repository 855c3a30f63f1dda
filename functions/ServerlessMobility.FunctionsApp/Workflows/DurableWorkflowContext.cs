using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using ServerlessMobility.Core.Workflows;
using CoreRetryPolicy = ServerlessMobility.Core.Workflows.RetryPolicy;
using DurableRetryPolicy = Microsoft.DurableTask.RetryPolicy;

namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>
/// The core's workflow context over Durable Functions' orchestration context: a translation of
/// names and failure types only, so workflows behave as they do on the local engine.
/// </summary>
internal sealed class DurableWorkflowContext(TaskOrchestrationContext context) : IWorkflowContext
{
    public string InstanceId => context.InstanceId;

    public string Name => context.Name.Name;

    public DateTimeOffset CurrentUtcDateTime => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

    public bool IsReplaying => context.IsReplaying;

    public Guid NewGuid() => context.NewGuid();

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, CoreRetryPolicy? retryPolicy = null)
    {
        try
        {
            return await context.CallActivityAsync<TResult>(name, input, Options(retryPolicy));
        }
        catch (TaskFailedException ex)
        {
            throw Translate(ex);
        }
    }

    public Task CallActivityAsync(string name, object? input = null, CoreRetryPolicy? retryPolicy = null) =>
        CallActivityAsync<object?>(name, input, retryPolicy);

    public Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken) =>
        context.CreateTimer(fireAt.UtcDateTime, cancellationToken);

    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (timeout is not { } limit)
        {
            return await context.WaitForExternalEvent<T>(eventName, cancellationToken);
        }

        try
        {
            return await context.WaitForExternalEvent<T>(eventName, limit, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Durable reports an event timeout as a cancelled task; the core names it.
            throw new WorkflowEventTimeoutException(eventName, limit);
        }
    }

    public async Task<TResult> CallSubWorkflowAsync<TResult>(string name, object? input = null, string? instanceId = null, CoreRetryPolicy? retryPolicy = null)
    {
        var options = new SubOrchestrationOptions(Options(retryPolicy) ?? new TaskOptions(), instanceId);
        try
        {
            return await context.CallSubOrchestratorAsync<TResult>(name, input, options);
        }
        catch (TaskFailedException ex)
        {
            throw Translate(ex);
        }
    }

    public void SetCustomStatus(object? customStatus) => context.SetCustomStatus(customStatus);

    public void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true) => context.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public ILogger CreateReplaySafeLogger(string categoryName) => context.CreateReplaySafeLogger(categoryName);

    private static TaskOptions? Options(CoreRetryPolicy? policy)
    {
        if (policy is null)
        {
            return null;
        }

        var durable = new DurableRetryPolicy(policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval, policy.RetryTimeout)
        {
            HandleFailure = policy.Handle is null ? null : failure => policy.Handle(ToCore(failure)),
        };
        return TaskOptions.FromRetryPolicy(durable);
    }

    private static WorkflowTaskFailedException Translate(TaskFailedException ex) =>
        new(ex.TaskName, ex.TaskId, ToCore(ex.FailureDetails));

    private static WorkflowFailureDetails ToCore(TaskFailureDetails details) =>
        new(details.ErrorType, details.ErrorMessage, details.StackTrace, details.InnerFailure is null ? null : ToCore(details.InnerFailure));
}
