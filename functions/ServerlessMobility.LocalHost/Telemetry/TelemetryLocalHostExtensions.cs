using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.Core.Vehicles;
using ServerlessMobility.Storage.Telemetry;

namespace ServerlessMobility.LocalHost.Telemetry;

public static class TelemetryLocalHostExtensions
{
    /// <summary>Telemetry pipeline on Azure Storage, MQTT ingestion, direct methods over the broker and demo vehicles.</summary>
    public static IServiceCollection AddLocalTelemetry(this IServiceCollection services)
    {
        services.AddTelemetryStorage();
        services.AddTelemetryPipeline();
        services.AddOptions<TelemetryIngestionOptions>().BindConfiguration(TelemetryIngestionOptions.SectionName);
        services.AddSingleton<MqttTelemetryIngestion>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttTelemetryIngestion>());
        services.AddSingleton<MqttVehicleCommandChannel>();
        services.AddSingleton<IVehicleCommandChannel>(sp => sp.GetRequiredService<MqttVehicleCommandChannel>());
        services.AddSingleton<Demo.IDemoDataSeeder, TelemetryDemoDataSeeder>();
        return services;
    }
}
