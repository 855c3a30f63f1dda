using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Core.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The pipeline and its options; the ports come from a storage registration.</summary>
    public static IServiceCollection AddTelemetryPipeline(this IServiceCollection services)
    {
        services.AddOptions<RiskRuleOptions>().BindConfiguration(RiskRuleOptions.SectionName);
        services.AddSingleton<VehicleStateBroadcaster>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TelemetryPipeline>(sp, sp.GetRequiredService<IOptions<RiskRuleOptions>>().Value));
        return services;
    }
}
