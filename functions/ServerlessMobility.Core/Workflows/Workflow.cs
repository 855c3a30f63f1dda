namespace ServerlessMobility.Core.Workflows;

/// <summary>An untyped view of a workflow for the engines; write workflows by deriving from <see cref="Workflow{TInput,TOutput}"/>.</summary>
public interface IWorkflow
{
    Type InputType { get; }

    Type OutputType { get; }

    Task<object?> RunAsync(IWorkflowContext context, object? input);
}

/// <summary>
/// A durable workflow. Instances are created through dependency injection for every replay, so a
/// workflow may take options and pure services, never I/O ports: I/O belongs in activities.
/// </summary>
public abstract class Workflow<TInput, TOutput> : IWorkflow
{
    public Type InputType => typeof(TInput);

    public Type OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(IWorkflowContext context, TInput input);

    async Task<object?> IWorkflow.RunAsync(IWorkflowContext context, object? input) =>
        await RunAsync(context, (TInput)input!).ConfigureAwait(false);
}

/// <summary>An untyped view of an activity for the engines; write activities by deriving from <see cref="WorkflowActivity{TInput,TOutput}"/>.</summary>
public interface IWorkflowActivity
{
    Type InputType { get; }

    Type OutputType { get; }

    Task<object?> RunAsync(ActivityContext context, object? input, CancellationToken cancellationToken);
}

/// <summary>
/// A plain async function with dependency injection. Activities run at least once: make every side
/// effect idempotent (use <see cref="ActivityContext.InstanceId"/> and the input as the idempotency key).
/// Throw to fail; never return error text as a successful result, so that retry policies can act.
/// </summary>
public abstract class WorkflowActivity<TInput, TOutput> : IWorkflowActivity
{
    public Type InputType => typeof(TInput);

    public Type OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(ActivityContext context, TInput input, CancellationToken cancellationToken);

    async Task<object?> IWorkflowActivity.RunAsync(ActivityContext context, object? input, CancellationToken cancellationToken) =>
        await RunAsync(context, (TInput)input!, cancellationToken).ConfigureAwait(false);
}

/// <summary>What an activity knows about the call it serves.</summary>
public sealed record ActivityContext(string Name, string InstanceId, int TaskId);

/// <summary>The value type for activities and workflows that return nothing.</summary>
public readonly record struct Unit
{
    public static readonly Unit Value;
}
