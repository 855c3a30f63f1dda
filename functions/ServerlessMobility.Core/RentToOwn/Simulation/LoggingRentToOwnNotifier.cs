using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ServerlessMobility.Core.RentToOwn.Collection;

namespace ServerlessMobility.Core.RentToOwn.Simulation;

/// <summary>A notification the simulated SMS gateway would have sent, and when.</summary>
public sealed record SentNotification(CustomerNotification Notification, DateTimeOffset At);

/// <summary>
/// The local stand-in for the SMS gateway: logs what would be sent and remembers it (<see cref="SentTo"/>),
/// so that tests and the demo can see what a customer was told. Only ids and amounts are logged, never the
/// phone number (it stays encrypted in the customer record).
/// </summary>
public sealed partial class LoggingRentToOwnNotifier(ILogger<LoggingRentToOwnNotifier> logger, TimeProvider time) : IRentToOwnNotifier
{
    private readonly ConcurrentQueue<SentNotification> _sent = new();

    /// <summary>What was sent about one plan, oldest first.</summary>
    public IReadOnlyList<SentNotification> SentTo(string tenantId, string planId) =>
        [.. _sent.Where(s => s.Notification.TenantId == tenantId && s.Notification.PlanId == planId)];

    public Task SendAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Log(logger, notification.Kind, notification.TenantId, notification.PlanId, notification.CustomerId, notification.Amount, notification.Currency);
        _sent.Enqueue(new SentNotification(notification, time.GetUtcNow()));
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "Notification {Kind} for plan {PlanId} of customer {CustomerId} in tenant {TenantId}: {Amount} {Currency}")]
    private static partial void Log(ILogger logger, NotificationKind kind, string tenantId, string planId, string customerId, decimal amount, string currency);
}
