using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMobility.Platform.Hosting;

/// <summary>
/// A product line (Car-as-a-Service, rent-to-own, telemetry, ...) as the hosts see it: the one type a module
/// exposes to them. Both hosts register the same list of modules (ServerlessMobility.Hosting.PlatformServices);
/// adding a product line is one more entry there. A module reaches the kernel and never another module.
/// </summary>
public interface IPlatformModule
{
    /// <summary>Its name in logs and the module map (docs/architecture.md).</summary>
    string Name { get; }

    /// <summary>
    /// Its use cases, workflows (orchestrators and activities, through the workflow registry, so both hosts
    /// run the same names), storage adapters with their Cosmos containers, options and partner adapters
    /// that do not depend on the host.
    /// </summary>
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <summary>Its routes, under the <c>/api</c> group that already carries authorization, idempotency and audit.</summary>
    void MapEndpoints(RouteGroupBuilder api);
}

public static class PlatformModuleRegistration
{
    /// <summary>Adds the module's services and remembers it, so <see cref="ServerlessMobilityApi"/> maps its routes.</summary>
    public static IServiceCollection AddPlatformModule(this IServiceCollection services, IPlatformModule module, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(module);
        if (services.Any(d => d.ServiceType == typeof(IPlatformModule) && d.ImplementationInstance?.GetType() == module.GetType()))
        {
            throw new InvalidOperationException($"The module '{module.Name}' is registered twice.");
        }

        module.AddServices(services, configuration);
        services.AddSingleton(module);
        return services;
    }
}
