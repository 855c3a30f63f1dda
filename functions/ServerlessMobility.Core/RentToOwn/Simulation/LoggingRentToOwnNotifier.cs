using Microsoft.Extensions.Logging;
using ServerlessMobility.Core.RentToOwn.Collection;

namespace ServerlessMobility.Core.RentToOwn.Simulation;

/// <summary>
/// The local stand-in for the SMS gateway: logs what would be sent. Only ids and amounts are logged,
/// never the phone number (it stays encrypted in the customer record).
/// </summary>
public sealed partial class LoggingRentToOwnNotifier(ILogger<LoggingRentToOwnNotifier> logger) : IRentToOwnNotifier
{
    public Task SendAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Log(logger, notification.Kind, notification.TenantId, notification.PlanId, notification.CustomerId, notification.Amount, notification.Currency);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "Notification {Kind} for plan {PlanId} of customer {CustomerId} in tenant {TenantId}: {Amount} {Currency}")]
    private static partial void Log(ILogger logger, NotificationKind kind, string tenantId, string planId, string customerId, decimal amount, string currency);
}
