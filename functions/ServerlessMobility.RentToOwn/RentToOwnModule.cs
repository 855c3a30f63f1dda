using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Storage;

namespace ServerlessMobility.RentToOwn;

/// <summary>Rent-to-own: listings, customers and KYC, credit, payment plans and their collection with immobilization.</summary>
public sealed class RentToOwnModule : IPlatformModule
{
    public string Name => "Rent-to-own";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Vehicle motion comes from the kernel's vehicle conditions (the telemetry module answers them) unless a
        // host registered its own reader first (the local simulators do).
        services.AddSingleton<IVehicleStateReader, TelemetryVehicleStateReader>();
        services.AddRentToOwnCore().AddRentToOwnStorage();
    }

    public void MapEndpoints(RouteGroupBuilder api) => api.MapRentToOwnApi();
}
