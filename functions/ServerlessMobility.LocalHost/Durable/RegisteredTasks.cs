using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using ServerlessMobility.Core.Workflows;

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

    public TaskOrchestration? GetObject(string name, string? version) =>
        registry.Orchestrators.TryGetValue(name, out var type)
            ? shims.CreateOrchestration(name, (ITaskOrchestrator)services.GetRequiredService(type))
            : null;
}

/// <summary>Activities run in a scope of their own, as a Functions invocation does.</summary>
internal sealed class RegisteredActivities(WorkflowRegistry registry, IServiceScopeFactory scopes, DurableTaskShimFactory shims)
    : INameVersionObjectManager<TaskActivity>
{
    public void Add(ObjectCreator<TaskActivity> creator) =>
        throw new NotSupportedException("Activities are registered in the WorkflowRegistry.");

    public TaskActivity? GetObject(string name, string? version) =>
        registry.Activities.TryGetValue(name, out var type)
            ? shims.CreateActivity(name, new ScopedActivity(scopes, type))
            : null;

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
