using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Telemetry.Storage;

namespace ServerlessMobility.Telemetry;

/// <summary>
/// Telemetry: vehicle registration, ingestion, latest state, trips, risk rules and geofences. It answers the
/// kernel's vehicle contracts (<see cref="IVehicleRegistry"/>, <see cref="IVehicleConditions"/>) for the other modules.
/// </summary>
public sealed class TelemetryModule : IPlatformModule
{
    public string Name => "Telemetry";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddTelemetryStorage().AddTelemetryPipeline();
        services.AddSingleton<IVehicleConditions, TelemetryVehicleConditions>();
    }

    public void MapEndpoints(RouteGroupBuilder api) => api.MapTelemetry();
}
