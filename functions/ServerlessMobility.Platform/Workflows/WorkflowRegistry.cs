using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMobility.Platform.Workflows;

/// <summary>
/// Every orchestrator and activity of the platform by name: the single list the local host's worker
/// registers, and the list the Azure Functions app's published metadata is checked against.
/// </summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, Type> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _activities = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Type> Orchestrators => _orchestrators;

    public IReadOnlyDictionary<string, Type> Activities => _activities;

    public void AddOrchestrator(string name, Type orchestratorType) =>
        Add(_orchestrators, name, orchestratorType, typeof(ITaskOrchestrator), "Orchestrator");

    public void AddActivity(string name, Type activityType) =>
        Add(_activities, name, activityType, typeof(ITaskActivity), "Activity");

    private static void Add(Dictionary<string, Type> names, string name, Type type, Type required, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(type);
        if (!required.IsAssignableFrom(type))
        {
            throw new ArgumentException($"{type} does not implement {required.Name}.", nameof(type));
        }

        if (!names.TryAdd(name, type) && names[name] != type)
        {
            throw new InvalidOperationException($"{kind} name '{name}' is registered twice.");
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

    /// <summary>Registers an orchestrator under its name; a new instance is made for every execution (it may take options, never I/O ports).</summary>
    public static IServiceCollection AddOrchestrator<TOrchestrator>(this IServiceCollection services, string name)
        where TOrchestrator : class, ITaskOrchestrator
    {
        services.GetOrAddWorkflowRegistry().AddOrchestrator(name, typeof(TOrchestrator));
        services.AddTransient<TOrchestrator>();
        return services;
    }

    /// <summary>Registers an activity under its name; a new instance is made for every call, in its own scope.</summary>
    public static IServiceCollection AddActivity<TActivity>(this IServiceCollection services, string name)
        where TActivity : class, ITaskActivity
    {
        services.GetOrAddWorkflowRegistry().AddActivity(name, typeof(TActivity));
        services.AddTransient<TActivity>();
        return services;
    }
}
