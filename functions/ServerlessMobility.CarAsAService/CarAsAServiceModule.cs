using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Partners;
using ServerlessMobility.CarAsAService.Storage;
using ServerlessMobility.Platform.Hosting;

namespace ServerlessMobility.CarAsAService;

/// <summary>Car-as-a-Service: order to delivery, over-the-air features and their billing.</summary>
public sealed class CarAsAServiceModule : IPlatformModule
{
    public string Name => "Car-as-a-Service";

    public void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddCarAsAService().AddCarAsAServiceStorage().AddCarAsAServiceIntegrations(configuration);

    public void MapEndpoints(RouteGroupBuilder api) => api.MapCarAsAService();
}
