using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.LocalHost.Telemetry;

public static class TelemetryLocalHostExtensions
{
    /// <summary>MQTT ingestion into the shared telemetry pipeline, direct methods over the broker and demo vehicles.</summary>
    public static IServiceCollection AddLocalTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryIngestionOptions>().BindConfiguration(TelemetryIngestionOptions.SectionName);
        services.AddSingleton<MqttTelemetryIngestion>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttTelemetryIngestion>());
        services.AddSingleton<MqttVehicleCommandChannel>();
        services.AddSingleton<IVehicleCommandChannel>(sp => sp.GetRequiredService<MqttVehicleCommandChannel>());
        services.AddSingleton<Demo.IDemoDataSeeder, TelemetryDemoDataSeeder>();
        return services;
    }
}
