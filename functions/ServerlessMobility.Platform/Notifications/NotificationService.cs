using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Documents;

namespace ServerlessMobility.Platform.Notifications;

/// <summary>
/// The one way every product line tells a customer something. Call it from an activity or a request
/// handler, never from an orchestrator (it does I/O and reads the clock).
/// </summary>
public interface INotifications
{
    /// <summary>Sends the event on every channel the customer can be reached on, at most once per (event, channel, recipient).</summary>
    /// <returns>One delivery record per channel, as stored.</returns>
    Task<IReadOnlyList<NotificationDelivery>> PublishAsync(NotificationEvent notification, CancellationToken cancellationToken = default);

    /// <summary>Sends one recorded delivery whose time has come (deferred, or due for another attempt).</summary>
    Task DeliverAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Idempotency: the first thing done per channel is inserting the delivery record whose key is derived from
/// (event id, channel, recipient). A duplicated event finds the record; if it says Sent, Skipped or Failed
/// nothing is sent again, so replays, redelivered webhooks and retried activities send nothing twice.
///
/// Crash safety: with the record, a wake-up is scheduled (<see cref="IDeliveryScheduler"/>) before the provider
/// is called. A crash after recording but before sending leaves the record Pending: the wake-up (or the caller's
/// retry, which finds the Pending record) sends it then. The one window left is a crash after the provider
/// accepted the message and before the record says Sent: that message can go twice, which is why the delivery
/// id travels as SMTP Message-ID and as ACS's Repeatability-Request-ID, letting the provider drop the repeat.
/// </summary>
public sealed partial class NotificationService(
    INotificationDeliveryStore deliveries,
    INotificationPreferenceStore preferences,
    IDeliveryScheduler scheduler,
    IEnumerable<IMessageSender> senders,
    NotificationTemplates templates,
    IDocumentArchive documents,
    IOptions<NotificationOptions> options,
    IOptions<TenantProfileOptions> tenants,
    TimeProvider time,
    ILogger<NotificationService> logger) : INotifications
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<NotificationChannel, IMessageSender> _senders = senders.ToDictionary(s => s.Channel);

    public async Task<IReadOnlyList<NotificationDelivery>> PublishAsync(NotificationEvent notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var recipient = notification.Recipient;
        var chosen = await preferences.GetAsync(notification.TenantId, recipient.CustomerId, cancellationToken).ConfigureAwait(false)
            ?? NotificationPreferences.Default(notification.TenantId, recipient.CustomerId);
        var zone = DeliveryRules.Zone(chosen.TimeZone ?? recipient.TimeZone ?? options.Value.DefaultTimeZone);
        var eventJson = JsonSerializer.Serialize(notification, EventJson);
        var results = new List<NotificationDelivery>();
        foreach (var channel in Enum.GetValues<NotificationChannel>())
        {
            if (Address(channel, chosen, recipient) is null || !_senders.ContainsKey(channel))
            {
                continue;
            }

            var now = time.GetUtcNow();
            var decision = DeliveryRules.Decide(notification, channel, chosen, zone, now);
            var (status, next, error) = decision switch
            {
                DeliveryDecision.Defer defer => (DeliveryStatus.Deferred, defer.Until, (string?)null),
                DeliveryDecision.Digest digest => (DeliveryStatus.Deferred, digest.Until, (string?)null),
                DeliveryDecision.Skip skip => (DeliveryStatus.Skipped, (DateTimeOffset?)null, skip.Reason),
                _ => (DeliveryStatus.Pending, (DateTimeOffset?)null, (string?)null),
            };
            var record = new NotificationDelivery(notification.TenantId, NotificationDelivery.IdFor(notification.Id, channel, recipient.CustomerId),
                notification.Id, notification.Kind, channel, recipient.CustomerId, status, 0, now, next, null, null, error, eventJson,
                decision is DeliveryDecision.Digest inDigest ? NotificationDigest.KeyFor(recipient.CustomerId, channel, inDigest.Day) : null);
            var (stored, created) = await deliveries.AddOrGetAsync(record, cancellationToken).ConfigureAwait(false);
            if (stored.IsFinal || (!created && stored.Status == DeliveryStatus.Deferred))
            {
                // A duplicate of a finished delivery, or a deferred one whose wake-up is already scheduled.
                results.Add(stored);
                continue;
            }

            if (stored.Status == DeliveryStatus.Deferred)
            {
                await scheduler.ScheduleAsync(stored.TenantId, stored.DeliveryId, stored.NextAttemptAt!.Value, cancellationToken).ConfigureAwait(false);
                LogDeferred(logger, notification.Kind, channel, stored.DeliveryId, stored.NextAttemptAt.Value);
                results.Add(stored);
                continue;
            }

            if (!created && stored.NextAttemptAt is { } retryAt && retryAt > now)
            {
                // Failed once and waiting for its retry: the scheduled wake-up owns it.
                results.Add(stored);
                continue;
            }

            // The safety wake-up: it finds the record Sent and does nothing, unless this process dies before that.
            await scheduler.ScheduleAsync(stored.TenantId, stored.DeliveryId, now + options.Value.FirstRetry, cancellationToken).ConfigureAwait(false);
            results.Add(await AttemptAsync(stored, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    public async Task DeliverAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default)
    {
        var delivery = await deliveries.GetAsync(tenantId, deliveryId, cancellationToken).ConfigureAwait(false);
        if (delivery is null || delivery.IsFinal)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (delivery.NextAttemptAt is { } at && at > now)
        {
            // Woken early (a safety wake-up of a delivery that failed meanwhile and waits for a later retry).
            await scheduler.ScheduleAsync(tenantId, deliveryId, at, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (delivery.DigestKey is { } digestKey && delivery.Kind != NotificationDigest.Kind)
        {
            await DeliverInDigestAsync(delivery, digestKey, cancellationToken).ConfigureAwait(false);
            return;
        }

        var attempted = await AttemptAsync(delivery, cancellationToken).ConfigureAwait(false);
        if (attempted.Kind == NotificationDigest.Kind)
        {
            await CloseDigestAsync(attempted, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<NotificationDelivery> AttemptAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var notification = JsonSerializer.Deserialize<NotificationEvent>(delivery.EventJson, EventJson)
            ?? throw new InvalidOperationException($"Delivery {delivery.DeliveryId} holds no event.");
        var chosen = await preferences.GetAsync(delivery.TenantId, delivery.CustomerId, cancellationToken).ConfigureAwait(false)
            ?? NotificationPreferences.Default(delivery.TenantId, delivery.CustomerId);
        var attempts = delivery.Attempts + 1;
        var address = Address(delivery.Channel, chosen, notification.Recipient);
        if (address is null || !_senders.TryGetValue(delivery.Channel, out var sender))
        {
            return await SaveAsync(delivery with { Status = DeliveryStatus.Skipped, Attempts = attempts, NextAttemptAt = null, LastError = "no-address" }, cancellationToken).ConfigureAwait(false);
        }

        var tenant = tenants.Value.For(delivery.TenantId);
        var language = templates.ResolveLanguage(chosen.Language, notification.Recipient.Language, options.Value.DefaultLanguage);
        var content = templates.Render(notification, delivery.Channel, language, tenant);
        try
        {
            var attachments = delivery.Channel == NotificationChannel.Email ? await AttachmentsAsync(notification, cancellationToken).ConfigureAwait(false) : [];
            var message = new OutgoingMessage(delivery.DeliveryId, delivery.TenantId, delivery.CustomerId, delivery.Channel, address, notification.Recipient.Name, tenant.Name, content, attachments);
            var providerId = await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
            LogSent(logger, notification.Kind, delivery.Channel, delivery.DeliveryId, language);
            return await SaveAsync(delivery with
            {
                Status = DeliveryStatus.Sent, Attempts = attempts, SentAt = time.GetUtcNow(), NextAttemptAt = null, ProviderMessageId = providerId, LastError = null,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (MessageRejectedException ex)
        {
            LogRejected(logger, notification.Kind, delivery.Channel, delivery.DeliveryId, ex.Message);
            return await SaveAsync(delivery with { Status = DeliveryStatus.Failed, Attempts = attempts, NextAttemptAt = null, LastError = ex.Message }, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // any other failure of the provider is transient: the queue retries it; the caller's work must not fail with it
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            if (attempts >= options.Value.MaxAttempts)
            {
                LogGaveUp(logger, ex, notification.Kind, delivery.Channel, delivery.DeliveryId, attempts);
                return await SaveAsync(delivery with { Status = DeliveryStatus.Failed, Attempts = attempts, NextAttemptAt = null, LastError = ex.Message }, cancellationToken).ConfigureAwait(false);
            }

            var next = time.GetUtcNow() + options.Value.RetryDelay(attempts);
            LogRetrying(logger, ex, notification.Kind, delivery.Channel, delivery.DeliveryId, attempts, next);
            var saved = await SaveAsync(delivery with { Status = DeliveryStatus.Pending, Attempts = attempts, NextAttemptAt = next, LastError = ex.Message }, cancellationToken).ConfigureAwait(false);
            await scheduler.ScheduleAsync(delivery.TenantId, delivery.DeliveryId, next, cancellationToken).ConfigureAwait(false);
            return saved;
        }
    }

    private async Task<NotificationDelivery> SaveAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        await deliveries.SaveAsync(delivery, cancellationToken).ConfigureAwait(false);
        return delivery;
    }

    private async Task<IReadOnlyList<MessageAttachment>> AttachmentsAsync(NotificationEvent notification, CancellationToken cancellationToken)
    {
        var attachments = new List<MessageAttachment>();
        foreach (var document in notification.Documents ?? [])
        {
            var bytes = await documents.ReadAsync(notification.TenantId, document.DocumentId, document.Version, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Document {document.DocumentId} v{document.Version} is not stored (yet).");
            attachments.Add(new MessageAttachment(document.FileName, IssuedDocument.PdfContentType, bytes));
        }

        return attachments;
    }

    /// <summary>Where the channel reaches the customer; what the customer saved wins over what the product line knows.</summary>
    private static string? Address(NotificationChannel channel, NotificationPreferences chosen, NotificationRecipient recipient) => channel switch
    {
        NotificationChannel.Email => NonEmpty(chosen.Email) ?? NonEmpty(recipient.Email),
        NotificationChannel.Sms => NonEmpty(chosen.Phone) ?? NonEmpty(recipient.Phone),
        NotificationChannel.Push => chosen.PushEnabled ? recipient.CustomerId : null,
        _ => null,
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Kind} sent on {Channel} in {Language} ({DeliveryId})")]
    private static partial void LogSent(ILogger logger, string kind, NotificationChannel channel, string deliveryId, string language);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Kind} on {Channel} deferred to {Until} ({DeliveryId})")]
    private static partial void LogDeferred(ILogger logger, string kind, NotificationChannel channel, string deliveryId, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Kind} on {Channel} refused by the provider: {Reason} ({DeliveryId})")]
    private static partial void LogRejected(ILogger logger, string kind, NotificationChannel channel, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Kind} on {Channel} failed (attempt {Attempts}); retrying at {Next} ({DeliveryId})")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string kind, NotificationChannel channel, string deliveryId, int attempts, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Kind} on {Channel} failed {Attempts} times; giving up ({DeliveryId})")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string kind, NotificationChannel channel, string deliveryId, int attempts);
}

/// <summary>
/// Sends deferred and retried messages whose time has come. The local host runs it as a loop, the Functions
/// app on a timer; both every Notifications:DispatchInterval or so.
/// </summary>
public sealed class NotificationDispatcher(IDeliveryScheduler scheduler, INotifications notifications)
{
    public Task<int> DispatchDueAsync(CancellationToken cancellationToken = default) =>
        scheduler.DrainDueAsync((tenantId, deliveryId, ct) => notifications.DeliverAsync(tenantId, deliveryId, ct), cancellationToken);
}
