using System.Globalization;

namespace ServerlessMobility.Platform.Notifications;

/// <summary>
/// The daily digest: a customer who chose it for a category gets that category's e-mail once a day, at their
/// digest time in their zone, as one message. Each waiting delivery carries the key of its digest (customer,
/// channel, local day); the digest is itself a delivery whose event id is made from that key, so inserting its
/// record is what makes it be built and sent once.
/// </summary>
public static class NotificationDigest
{
    /// <summary>The template kind of the digest message.</summary>
    public const string Kind = "digest";

    /// <summary>Data of the digest event listing the deliveries it carries, comma-separated.</summary>
    public const string DeliveryIdsKey = "delivery_ids";

    /// <summary>
    /// Only e-mail is combined (an SMS digest would be longer than any SMS). Urgent messages never wait for a
    /// digest, and a message with documents keeps its own mail so its attachments stay with their text.
    /// </summary>
    public static bool Applies(NotificationEvent notification, NotificationChannel channel, NotificationPreferences preferences)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(preferences);
        return channel == NotificationChannel.Email
            && notification.Urgency == NotificationUrgency.Normal
            && notification.Documents is not { Count: > 0 }
            && notification.Kind != Kind
            && preferences.DigestCategories?.Contains(notification.Category) == true;
    }

    /// <returns>
    /// The first digest time strictly after <paramref name="from"/> (UTC) and the customer's local date it
    /// belongs to. A digest time skipped by a daylight-saving jump moves to the first valid minute after it.
    /// </returns>
    public static (DateTimeOffset At, DateOnly Day) NextAt(TimeOnly digestTime, TimeZoneInfo zone, DateTimeOffset from)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(from, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= digestTime)
        {
            day = day.AddDays(1);
        }

        var at = day.ToDateTime(digestTime);
        while (zone.IsInvalidTime(at))
        {
            at = at.AddMinutes(1);
        }

        return (new DateTimeOffset(at, zone.GetUtcOffset(at)).ToUniversalTime(), day);
    }

    /// <summary>One digest per customer, channel and local day.</summary>
    public static string KeyFor(string customerId, NotificationChannel channel, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{channel}|{day:yyyy-MM-dd}|{customerId}");

    public static string EventIdFor(string digestKey) => "digest:" + digestKey;

    /// <summary>The digest's text: one entry per message, oldest first, each its subject and then its paragraphs.</summary>
    public static string Entries(IEnumerable<(string Subject, IReadOnlyList<string> Paragraphs)> entries) =>
        string.Join("\n\n", entries.Select(e => string.Join("\n", [e.Subject, .. e.Paragraphs])));

    /// <summary>Whether the digest event carries <paramref name="deliveryId"/>.</summary>
    public static bool Carries(NotificationEvent digest, string deliveryId)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return digest.Data.TryGetValue(DeliveryIdsKey, out var ids) && ids.Split(',').Contains(deliveryId, StringComparer.Ordinal);
    }
}
