using System.Security.Cryptography;
using System.Text;

namespace ServerlessMobility.Platform.Notifications;

public enum DeliveryStatus
{
    /// <summary>Recorded; being sent now or waiting for its next attempt.</summary>
    Pending,

    /// <summary>Waiting for its time: the end of the customer's quiet hours, a scheduled send, or the customer's daily digest.</summary>
    Deferred,
    Sent,

    /// <summary>Not sent on purpose (opted out, no address for the channel).</summary>
    Skipped,

    /// <summary>Refused for good, or every attempt failed.</summary>
    Failed,
}

/// <summary>
/// The record of one message: the idempotency key of a send (one per event, channel and recipient) and its
/// delivery status. It keeps the event, so a deferred or retried send renders from what was published.
/// </summary>
/// <param name="DigestKey">Set when the message waits for the customer's daily digest (see <see cref="NotificationDigest"/>); the digest's own record carries it too.</param>
public sealed record NotificationDelivery(
    string TenantId,
    string DeliveryId,
    string EventId,
    string Kind,
    NotificationChannel Channel,
    string CustomerId,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    string? ProviderMessageId,
    string? LastError,
    string EventJson,
    string? DigestKey = null)
{
    public bool IsFinal => Status is DeliveryStatus.Sent or DeliveryStatus.Skipped or DeliveryStatus.Failed;

    /// <summary>Stable for (event, channel, recipient) whoever computes it, and short enough for a table row key or a header.</summary>
    public static string IdFor(string eventId, NotificationChannel channel, string customerId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{eventId.Length}:{eventId}|{channel}|{customerId.Length}:{customerId}")))[..40];
}

/// <summary>Delivery records in one tenant's partition; the insert is the idempotency check.</summary>
public interface INotificationDeliveryStore
{
    /// <returns>The stored record: <paramref name="delivery"/> when it was new, else the one recorded first (unchanged).</returns>
    Task<(NotificationDelivery Delivery, bool Created)> AddOrGetAsync(NotificationDelivery delivery, CancellationToken cancellationToken = default);

    Task<NotificationDelivery?> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default);

    Task SaveAsync(NotificationDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Every delivery of one event (one per channel), for status queries and tests.</summary>
    Task<IReadOnlyList<NotificationDelivery>> ListForEventAsync(string tenantId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>Every delivery waiting for (or sent in) one digest, and the digest's own record.</summary>
    Task<IReadOnlyList<NotificationDelivery>> ListForDigestAsync(string tenantId, string digestKey, CancellationToken cancellationToken = default);
}

/// <summary>Wakes a delivery later: at the end of quiet hours, or for its next attempt after a failure.</summary>
public interface IDeliveryScheduler
{
    Task ScheduleAsync(string tenantId, string deliveryId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Hands every delivery whose time has come to <paramref name="deliver"/>; a wake-up is dropped only after it returned.</summary>
    /// <returns>How many were handled.</returns>
    Task<int> DrainDueAsync(Func<string, string, CancellationToken, Task> deliver, CancellationToken cancellationToken = default);
}
