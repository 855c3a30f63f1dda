using System.Globalization;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.RentToOwn.Customers;
using ServerlessMobility.Platform.Security.Pii;

namespace ServerlessMobility.RentToOwn.Collection;

/// <summary>
/// Rent-to-own notices through the shared notifications capability. The phone is decrypted here, only for
/// the send, and reaches the customer by SMS; an e-mail address or language the customer saved in their
/// notification preferences adds e-mail. A default and the immobilization warning before it are urgent: they ignore quiet hours.
/// </summary>
public sealed class RentToOwnNotifier(ICustomerStore customers, PiiProtector pii, INotifications notifications) : IRentToOwnNotifier
{
    public async Task SendAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var customer = await customers.GetAsync(notification.TenantId, notification.CustomerId, cancellationToken);
        var phone = customer is null ? null : pii.Unprotect(customer.PhoneProtected, CustomerEndpoints.PhonePurpose);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["plan_id"] = notification.PlanId,
            ["amount"] = new Platform.Currencies.Money(notification.Amount, notification.Currency).Display(),
            ["due_date"] = notification.DueDate?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
            ["due_at"] = notification.DueDate?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? string.Empty,
        };
        foreach (var (key, value) in notification.Data ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }

        var eventId = notification.EventId
            ?? string.Create(CultureInfo.InvariantCulture, $"{notification.PlanId}:{notification.Kind}:{notification.DueDate:yyyyMMdd}");
        await notifications.PublishAsync(new NotificationEvent(
            "rto:" + eventId,
            KindOf(notification.Kind),
            notification.TenantId,
            new NotificationRecipient(notification.CustomerId, Phone: phone),
            data,
            Urgency: notification.Kind is NotificationKind.Defaulted or NotificationKind.ImmobilizationWarning ? NotificationUrgency.Urgent : NotificationUrgency.Normal,
            Documents: notification.Documents), cancellationToken);
    }

    public static string KindOf(NotificationKind kind) => kind switch
    {
        NotificationKind.PaymentReminder => "instalment-reminder",
        NotificationKind.PaymentFailed => "payment-failed",
        NotificationKind.Defaulted => "plan-defaulted",
        NotificationKind.Reinstated => "plan-reinstated",
        NotificationKind.OwnershipTransferred => "ownership-transferred",
        NotificationKind.PaymentReceipt => "payment-receipt",
        NotificationKind.ImmobilizationWarning => "immobilization-warning",
        _ => NotificationTemplates.GenericKind,
    };
}
