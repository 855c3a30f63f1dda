using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.Diagnostics;
using ServerlessMobility.Durable.Dispatch;
using ServerlessMobility.Durable.Storage;

namespace ServerlessMobility.Durable;

public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// The local durable engine: <see cref="IWorkflowClient"/> and the dispatchers (a hosted service),
    /// with options from the "Durable" section. Needs the platform storage clients (AddPlatformStorage).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Read once here for Durable:RegisterSampleWorkflows (registrations cannot wait for options).</param>
    public static IServiceCollection AddLocalDurableEngine(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DurableEngineOptions>()
            .BindConfiguration(DurableEngineOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.LeaseRenewInterval < o.LeaseDuration, "Durable:LeaseRenewInterval must be shorter than Durable:LeaseDuration.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.GetOrAddWorkflowRegistry();
        services.AddSingleton<DurableStore>();
        services.AddSingleton<OrchestrationProcessor>();
        services.AddSingleton<LocalWorkflowClient>();
        services.AddSingleton<IWorkflowClient>(sp => sp.GetRequiredService<LocalWorkflowClient>());
        services.AddSingleton<DurableEngineService>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableEngineService>());

        if (configuration?.GetValue<bool>($"{DurableEngineOptions.SectionName}:{nameof(DurableEngineOptions.RegisterSampleWorkflows)}") == true)
        {
            services.AddDiagnosticWorkflows();
        }

        return services;
    }
}
