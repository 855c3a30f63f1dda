using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// Hands the framework's dispatchers the platform's SDK-typed orchestrators and activities by name, each
/// made fresh through dependency injection and wrapped by the SDK's own shims (the bridge the SDK ships
/// for hosting its programming model on DurableTask.Core).
/// </summary>
internal sealed class RegisteredOrchestrations(WorkflowRegistry registry, IServiceProvider services, DurableTaskShimFactory shims)
    : INameVersionObjectManager<TaskOrchestration>
{
    public void Add(ObjectCreator<TaskOrchestration> creator) =>
        throw new NotSupportedException("Orchestrators are registered in the WorkflowRegistry.");

    /// <summary>
    /// An unknown name fails the instance, as the SDK's own worker does in Azure ("no orchestrator task named ...").
    /// Returning nothing would make the framework retry the start forever, leaving the instance Pending and a
    /// parent waiting on it for good.
    /// </summary>
    public TaskOrchestration? GetObject(string name, string? version) =>
        shims.CreateOrchestration(name, registry.Orchestrators.TryGetValue(name, out var type)
            ? (ITaskOrchestrator)services.GetRequiredService(type)
            : new MissingOrchestrator(name));

    private sealed class MissingOrchestrator(string name) : ITaskOrchestrator
    {
        public Type InputType => typeof(object);

        public Type OutputType => typeof(object);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            throw new InvalidOperationException($"No orchestrator named '{name}' is registered on this host.");
    }
}

/// <summary>Activities run in a scope of their own, as a Functions invocation does.</summary>
internal sealed class RegisteredActivities(WorkflowRegistry registry, IServiceScopeFactory scopes, DurableTaskShimFactory shims)
    : INameVersionObjectManager<TaskActivity>
{
    public void Add(ObjectCreator<TaskActivity> creator) =>
        throw new NotSupportedException("Activities are registered in the WorkflowRegistry.");

    /// <summary>An unknown name fails the call, which the orchestrator can catch, as with the SDK's own worker.</summary>
    public TaskActivity? GetObject(string name, string? version) =>
        shims.CreateActivity(name, registry.Activities.TryGetValue(name, out var type)
            ? new ScopedActivity(scopes, type)
            : new MissingActivity(name));

    private sealed class MissingActivity(string name) : ITaskActivity
    {
        public Type InputType => typeof(object);

        public Type OutputType => typeof(object);

        public Task<object?> RunAsync(TaskActivityContext context, object? input) =>
            throw new InvalidOperationException($"No activity named '{name}' is registered on this host.");
    }

    /// <summary>Resolves the activity inside a new scope for the one call it serves, and disposes the scope after.</summary>
    private sealed class ScopedActivity(IServiceScopeFactory scopes, Type type) : ITaskActivity
    {
        private readonly Type[] _signature = SignatureOf(type);

        public Type InputType => _signature[0];

        public Type OutputType => _signature[1];

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            await using var scope = scopes.CreateAsyncScope();
            var activity = (ITaskActivity)scope.ServiceProvider.GetRequiredService(type);
            return await activity.RunAsync(context, input);
        }

        private static Type[] SignatureOf(Type activityType)
        {
            for (var type = activityType; type is not null; type = type.BaseType)
            {
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Microsoft.DurableTask.TaskActivity<,>))
                {
                    return type.GetGenericArguments();
                }
            }

            throw new InvalidOperationException($"{activityType} does not derive from TaskActivity<TInput, TOutput>.");
        }
    }
}
