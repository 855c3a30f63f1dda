using System.Globalization;
using System.Text.Json;

namespace ServerlessMobility.Platform.Notifications;

/// <summary>The daily digest's part of the service: building it once, sending it, and marking what it carried.</summary>
public sealed partial class NotificationService
{
    /// <summary>
    /// A waiting message's digest time has come. The first of the day's messages to wake builds the digest from
    /// every message then waiting for it; inserting the digest's record decides which build counts, so two wake-ups
    /// at once build it once. A message that started waiting after the digest was built goes on its own.
    /// </summary>
    private async Task DeliverInDigestAsync(NotificationDelivery member, string digestKey, CancellationToken cancellationToken)
    {
        var digestEventId = NotificationDigest.EventIdFor(digestKey);
        var digestId = NotificationDelivery.IdFor(digestEventId, member.Channel, member.CustomerId);
        var digest = await deliveries.GetAsync(member.TenantId, digestId, cancellationToken).ConfigureAwait(false);
        if (digest is null)
        {
            var waiting = (await deliveries.ListForDigestAsync(member.TenantId, digestKey, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Status == DeliveryStatus.Deferred && d.Kind != NotificationDigest.Kind && d.DeliveryId != member.DeliveryId)
                .Append(member)
                .OrderBy(d => d.CreatedAt).ThenBy(d => d.DeliveryId, StringComparer.Ordinal)
                .ToList();
            (digest, _) = await deliveries.AddOrGetAsync(await BuildDigestAsync(member, digestKey, digestEventId, digestId, waiting, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }

        if (!NotificationDigest.Carries(Event(digest), member.DeliveryId))
        {
            await AttemptAsync(member, cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        if (!digest.IsFinal && (digest.NextAttemptAt is null || digest.NextAttemptAt <= now))
        {
            // As for any send: a wake-up of the digest's own, in case this process dies before it says Sent.
            await scheduler.ScheduleAsync(digest.TenantId, digest.DeliveryId, now + options.Value.FirstRetry, cancellationToken).ConfigureAwait(false);
            digest = await AttemptAsync(digest, cancellationToken).ConfigureAwait(false);
        }

        await CloseDigestAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<NotificationDelivery> BuildDigestAsync(NotificationDelivery member, string digestKey, string digestEventId, string digestId,
        IReadOnlyList<NotificationDelivery> carried, CancellationToken cancellationToken)
    {
        var chosen = await preferences.GetAsync(member.TenantId, member.CustomerId, cancellationToken).ConfigureAwait(false)
            ?? NotificationPreferences.Default(member.TenantId, member.CustomerId);
        var events = carried.Select(Event).ToList();
        var recipient = events[^1].Recipient;
        var language = templates.ResolveLanguage(chosen.Language, recipient.Language, options.Value.DefaultLanguage);
        var tenant = tenants.Value.For(member.TenantId);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["items"] = NotificationDigest.Entries(events.Select(e => templates.RenderEntry(e, language, tenant))),
            ["count"] = events.Count.ToString(CultureInfo.InvariantCulture),
            [NotificationDigest.DeliveryIdsKey] = string.Join(',', carried.Select(d => d.DeliveryId)),
        };
        var digestEvent = new NotificationEvent(digestEventId, NotificationDigest.Kind, member.TenantId, recipient with { Language = language }, data,
            NotificationCategory.Informational);
        return new NotificationDelivery(member.TenantId, digestId, digestEventId, NotificationDigest.Kind, member.Channel, member.CustomerId, DeliveryStatus.Pending, 0,
            time.GetUtcNow(), null, null, null, null, JsonSerializer.Serialize(digestEvent, EventJson), digestKey);
    }

    /// <summary>Once the digest is sent (or failed for good), so are the messages it carried.</summary>
    private async Task CloseDigestAsync(NotificationDelivery digest, CancellationToken cancellationToken)
    {
        if (!digest.IsFinal)
        {
            return;
        }

        var status = digest.Status == DeliveryStatus.Sent ? DeliveryStatus.Sent : DeliveryStatus.Failed;
        foreach (var id in Event(digest).Data.GetValueOrDefault(NotificationDigest.DeliveryIdsKey, string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var carried = await deliveries.GetAsync(digest.TenantId, id, cancellationToken).ConfigureAwait(false);
            if (carried is { IsFinal: false })
            {
                await deliveries.SaveAsync(carried with
                {
                    Status = status, SentAt = digest.SentAt, NextAttemptAt = null, ProviderMessageId = "digest:" + digest.DeliveryId,
                    LastError = status == DeliveryStatus.Failed ? digest.LastError : null,
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static NotificationEvent Event(NotificationDelivery delivery) =>
        JsonSerializer.Deserialize<NotificationEvent>(delivery.EventJson, EventJson) ?? throw new InvalidOperationException($"Delivery {delivery.DeliveryId} holds no event.");
}
