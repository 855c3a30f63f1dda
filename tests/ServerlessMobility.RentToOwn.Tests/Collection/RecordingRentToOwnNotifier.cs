using System.Collections.Concurrent;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>A notice the collection workflow sent, and when.</summary>
internal sealed record SentNotification(CustomerNotification Notification, DateTimeOffset At);

/// <summary>
/// Remembers every notice the workflow asks for, in order, then hands it on to the real adapter (the shared
/// notifications capability, which sends the SMS to its local sink): tests see what a customer was told and
/// when, and the real path runs too.
/// </summary>
internal sealed class RecordingRentToOwnNotifier(RentToOwnNotifier inner, TimeProvider time) : IRentToOwnNotifier
{
    private readonly ConcurrentQueue<SentNotification> _sent = new();

    public IReadOnlyList<SentNotification> SentTo(string tenantId, string planId) =>
        [.. _sent.Where(s => s.Notification.TenantId == tenantId && s.Notification.PlanId == planId)];

    public async Task SendAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);

        // An activity retried after a failure records once: the event id is stable across retries.
        if (!_sent.Any(s => s.Notification.EventId is not null && s.Notification.EventId == notification.EventId))
        {
            _sent.Enqueue(new SentNotification(notification, time.GetUtcNow()));
        }

        await inner.SendAsync(notification, cancellationToken);
    }
}
