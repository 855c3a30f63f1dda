namespace ServerlessMobility.Platform.Notifications;

/// <summary>A daily window, in the customer's local time, in which non-urgent messages wait; it may span midnight (22:00-07:00).</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End);

/// <summary>
/// What one customer of one tenant chose: contact details, language, time zone, marketing opt-outs per
/// channel, quiet hours, and whether the app may push. A customer without a record gets <see cref="Default"/>.
/// </summary>
/// <param name="DigestCategories">Categories the customer takes as one daily e-mail instead of one mail each (never urgent messages, nor ones with documents).</param>
/// <param name="DigestTime">When the digest goes, in the customer's local time; null is <see cref="DefaultDigestTime"/>.</param>
public sealed record NotificationPreferences(
    string TenantId,
    string CustomerId,
    string? Language = null,
    string? TimeZone = null,
    string? Email = null,
    string? Phone = null,
    QuietHours? QuietHours = null,
    IReadOnlyList<NotificationChannel>? MarketingOptOut = null,
    bool PushEnabled = false,
    IReadOnlyList<NotificationCategory>? DigestCategories = null,
    TimeOnly? DigestTime = null)
{
    public static readonly TimeOnly DefaultDigestTime = new(8, 0);

    public static NotificationPreferences Default(string tenantId, string customerId) => new(tenantId, customerId);

    public bool OptedOutOfMarketing(NotificationChannel channel) => MarketingOptOut?.Contains(channel) == true;
}

public interface INotificationPreferenceStore
{
    /// <returns>null when the customer never saved any.</returns>
    Task<NotificationPreferences?> GetAsync(string tenantId, string customerId, CancellationToken cancellationToken = default);

    Task SaveAsync(NotificationPreferences preferences, CancellationToken cancellationToken = default);
}

/// <summary>What to do with one message on one channel now.</summary>
public abstract record DeliveryDecision
{
    private DeliveryDecision()
    {
    }

    public sealed record SendNow : DeliveryDecision;

    public sealed record Defer(DateTimeOffset Until) : DeliveryDecision;

    /// <summary>Goes in the customer's digest of <paramref name="Day"/> (their local date), sent at <paramref name="Until"/>.</summary>
    public sealed record Digest(DateTimeOffset Until, DateOnly Day) : DeliveryDecision;

    public sealed record Skip(string Reason) : DeliveryDecision;
}

/// <summary>The pure rules of when a message may go: opt-out, scheduled sends, digests, quiet hours. Reads no clock: the caller passes "now".</summary>
public static class DeliveryRules
{
    public static DeliveryDecision Decide(NotificationEvent notification, NotificationChannel channel, NotificationPreferences preferences, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(preferences);
        ArgumentNullException.ThrowIfNull(zone);
        if (notification.Category == NotificationCategory.Marketing && preferences.OptedOutOfMarketing(channel))
        {
            return new DeliveryDecision.Skip("opted-out");
        }

        // A scheduled send is judged as if published at its time: quiet hours and the digest of that moment apply.
        var from = notification.NotBefore is { } notBefore && notBefore > now ? notBefore : now;
        if (NotificationDigest.Applies(notification, channel, preferences))
        {
            var (at, day) = NotificationDigest.NextAt(preferences.DigestTime ?? NotificationPreferences.DefaultDigestTime, zone, from);
            return new DeliveryDecision.Digest(preferences.QuietHours is { } digestQuiet ? QuietUntil(digestQuiet, zone, at) ?? at : at, day);
        }

        if (notification.Urgency != NotificationUrgency.Urgent && preferences.QuietHours is { } quiet && QuietUntil(quiet, zone, from) is { } end)
        {
            return new DeliveryDecision.Defer(end);
        }

        return from > now ? new DeliveryDecision.Defer(from) : new DeliveryDecision.SendNow();
    }

    /// <returns>The UTC instant the quiet window holding <paramref name="now"/> ends; null when now is outside it.</returns>
    public static DateTimeOffset? QuietUntil(QuietHours quiet, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        ArgumentNullException.ThrowIfNull(zone);
        if (quiet.Start == quiet.End)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var spansMidnight = quiet.Start > quiet.End;
        bool inside = spansMidnight ? time >= quiet.Start || time < quiet.End : time >= quiet.Start && time < quiet.End;
        if (!inside)
        {
            return null;
        }

        // A window spanning midnight that began this evening ends tomorrow; every other one ends today.
        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (spansMidnight && time >= quiet.Start)
        {
            endDate = endDate.AddDays(1);
        }

        var endLocal = endDate.ToDateTime(quiet.End);

        // A wall-clock time skipped by a daylight-saving jump does not exist: the first valid minute after it does.
        while (zone.IsInvalidTime(endLocal))
        {
            endLocal = endLocal.AddMinutes(1);
        }

        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }

    /// <summary>The zone for an IANA id, or UTC when it is unknown (a typo must not stop messages).</summary>
    public static TimeZoneInfo Zone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
