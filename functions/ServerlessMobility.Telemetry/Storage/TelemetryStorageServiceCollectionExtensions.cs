using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.Platform.Messaging;
using ServerlessMobility.Storage.Messaging;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.Telemetry.Storage;

public static class TelemetryStorageServiceCollectionExtensions
{
    /// <summary>The telemetry ports on Azure Tables and Blobs, and the queue-backed message bus unless one is registered.</summary>
    public static IServiceCollection AddTelemetryStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ITelemetryStateStore, TableTelemetryStateStore>();
        services.AddSingleton<IDailyAggregateStore, TableDailyAggregateStore>();
        services.AddSingleton<IRiskEventStore, TableRiskEventStore>();
        services.AddSingleton<IGeofenceStore, TableGeofenceStore>();
        services.AddSingleton<IVehicleRegistry, TableVehicleRegistry>();
        services.AddSingleton<BlobTelemetryArchive>();
        services.AddSingleton<IRawTelemetryArchive>(sp => sp.GetRequiredService<BlobTelemetryArchive>());
        services.AddSingleton<ITelemetryDeadLetterSink>(sp => sp.GetRequiredService<BlobTelemetryArchive>());
        services.TryAddSingleton<IMessageBus, StorageQueueMessageBus>();
        services.AddSingleton<ITransientErrorDetector, StorageTransientErrorDetector>();
        return services;
    }
}
