using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Storage.Documents;

namespace ServerlessMobility.Storage.Notifications;

public static class NotificationStorageExtensions
{
    /// <summary>Delivery records, preferences, wake-ups and documents on Azure Storage (Azurite locally).</summary>
    public static IServiceCollection AddNotificationAndDocumentStorage(this IServiceCollection services)
    {
        services.AddSingleton<INotificationDeliveryStore, TableNotificationDeliveryStore>();
        services.AddSingleton<INotificationPreferenceStore, TableNotificationPreferenceStore>();
        services.AddSingleton<IDeliveryScheduler, QueueDeliveryScheduler>();
        services.AddSingleton<IDocumentArchive, BlobDocumentArchive>();
        return services;
    }

    /// <summary>The local sink for a channel without a real provider here (SMS, push).</summary>
    public static IServiceCollection AddLocalMessageSink(this IServiceCollection services, NotificationChannel channel) =>
        services.AddSingleton<IMessageSender>(sp => new BlobMessageSink(sp.GetRequiredService<StorageClients>(), channel));
}
