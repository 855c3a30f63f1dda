using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The pipeline, the batch runner that isolates poison messages, and their options; the ports come from a storage registration.</summary>
    public static IServiceCollection AddTelemetryPipeline(this IServiceCollection services)
    {
        services.AddOptions<RiskRuleOptions>().BindConfiguration(RiskRuleOptions.SectionName);
        services.AddSingleton<VehicleStateBroadcaster>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TelemetryPipeline>(sp, sp.GetRequiredService<IOptions<RiskRuleOptions>>().Value));
        services.AddOptions<TelemetryRetryOptions>().BindConfiguration(TelemetryRetryOptions.SectionName);
        services.TryAddSingleton<ITransientErrorDetector, DefaultTransientErrorDetector>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TelemetryBatchRunner>(sp, sp.GetRequiredService<IOptions<TelemetryRetryOptions>>().Value));
        return services;
    }
}
