using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Customers;

/// <summary>
/// Car-as-a-Service notices through the shared notifications capability: the customer record gives the
/// e-mail address, the name and, from the country, the language (the customer's own preferences win).
/// </summary>
public sealed class CaasCustomerNotifier(ITenantRepository<Customer> customers, INotifications notifications) : ICustomerNotifier
{
    public async Task NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var customer = (await customers.GetAsync(notification.TenantId, notification.CustomerId, cancellationToken))?.Value;
        var data = new Dictionary<string, string>(notification.Data ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["message"] = notification.Message,
        };
        await notifications.PublishAsync(new NotificationEvent(
            "caas:" + notification.IdempotencyKey,
            notification.Kind,
            notification.TenantId,
            new NotificationRecipient(notification.CustomerId, customer?.Name, customer?.Email, Language: CountryLanguages.For(customer?.Country)),
            data,
            Documents: notification.Documents), cancellationToken);
    }
}
