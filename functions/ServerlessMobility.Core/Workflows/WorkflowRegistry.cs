using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMobility.Core.Workflows;

/// <summary>
/// Every workflow and activity of the platform by name: the single list both hosts bind
/// (the Azure Functions app's consistency test reads the same names).
/// </summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, Type> _workflows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _activities = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Type> Workflows => _workflows;

    public IReadOnlyDictionary<string, Type> Activities => _activities;

    public void AddWorkflow(string name, Type workflowType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(workflowType);
        if (!typeof(IWorkflow).IsAssignableFrom(workflowType))
        {
            throw new ArgumentException($"{workflowType} does not implement {nameof(IWorkflow)}.", nameof(workflowType));
        }

        if (!_workflows.TryAdd(name, workflowType) && _workflows[name] != workflowType)
        {
            throw new InvalidOperationException($"Workflow name '{name}' is registered twice.");
        }
    }

    public void AddActivity(string name, Type activityType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(activityType);
        if (!typeof(IWorkflowActivity).IsAssignableFrom(activityType))
        {
            throw new ArgumentException($"{activityType} does not implement {nameof(IWorkflowActivity)}.", nameof(activityType));
        }

        if (!_activities.TryAdd(name, activityType) && _activities[name] != activityType)
        {
            throw new InvalidOperationException($"Activity name '{name}' is registered twice.");
        }
    }
}

public static class WorkflowServiceCollectionExtensions
{
    public static WorkflowRegistry GetOrAddWorkflowRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(WorkflowRegistry))?.ImplementationInstance;
        if (existing is WorkflowRegistry registry)
        {
            return registry;
        }

        registry = new WorkflowRegistry();
        services.AddSingleton(registry);
        return registry;
    }

    public static IServiceCollection AddWorkflow<TWorkflow>(this IServiceCollection services, string name)
        where TWorkflow : class, IWorkflow
    {
        services.GetOrAddWorkflowRegistry().AddWorkflow(name, typeof(TWorkflow));
        services.AddTransient<TWorkflow>();
        return services;
    }

    public static IServiceCollection AddWorkflowActivity<TActivity>(this IServiceCollection services, string name)
        where TActivity : class, IWorkflowActivity
    {
        services.GetOrAddWorkflowRegistry().AddActivity(name, typeof(TActivity));
        services.AddTransient<TActivity>();
        return services;
    }
}
