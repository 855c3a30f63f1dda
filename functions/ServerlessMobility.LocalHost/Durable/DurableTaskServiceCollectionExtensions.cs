using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.LocalHost.Durable;

public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// The Durable Task Framework on Azurite: the task hub, the worker (a hosted service) and the SDK's
    /// <see cref="DurableTaskClient"/>, with options from the "Durable" section. Needs the platform storage options.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Read once here for Durable:RegisterSampleWorkflows (registrations cannot wait for options).</param>
    public static IServiceCollection AddLocalDurableTask(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LocalDurableTaskOptions>()
            .BindConfiguration(LocalDurableTaskOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The worker runs what the registry holds; a client-only host may register nothing at all.
        services.GetOrAddWorkflowRegistry();
        services.AddSingleton<LocalTaskHub>();
        services.AddSingleton<DurableTaskClient, LocalDurableTaskClient>();
        services.AddHostedService<LocalDurableTaskWorker>();
        if (configuration.GetValue<bool>($"{LocalDurableTaskOptions.SectionName}:{nameof(LocalDurableTaskOptions.RegisterSampleWorkflows)}"))
        {
            services.AddDiagnosticWorkflows();
        }

        return services;
    }
}
