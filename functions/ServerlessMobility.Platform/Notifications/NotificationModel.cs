namespace ServerlessMobility.Platform.Notifications;

public enum NotificationChannel
{
    Email,
    Sms,
    Push,
}

/// <summary>Transactional messages (an order, a payment, a contract) always go; marketing respects the customer's opt-out.</summary>
public enum NotificationCategory
{
    Transactional,
    Marketing,

    /// <summary>News the customer needs no action on (a status update, a feature switched on): may go into a daily digest.</summary>
    Informational,
}

/// <summary>Urgent messages ignore quiet hours (an immobilization warning must not wait for the morning).</summary>
public enum NotificationUrgency
{
    Normal,
    Urgent,
}

/// <summary>
/// Who a message goes to and how to reach them, as the product line knows it. Contact details the customer
/// saved in their notification preferences win over these.
/// </summary>
/// <param name="Language">An ISO 639-1 code (en, es, fr, de, sw); null lets the preferences or the default decide.</param>
/// <param name="TimeZone">An IANA zone id for quiet hours; null lets the preferences or the default decide.</param>
public sealed record NotificationRecipient(string CustomerId, string? Name = null, string? Email = null, string? Phone = null, string? Language = null, string? TimeZone = null);

/// <summary>A stored document the message carries: attached to e-mail, linked from the other channels' text.</summary>
public sealed record NotificationDocument(string DocumentId, int Version, string FileName);

/// <summary>
/// Something a customer should hear about. The capability renders one message per channel from the
/// kind's templates and sends it at most once per (event id, channel, recipient).
/// </summary>
/// <param name="Id">Unique per event and stable across retries: derive it from the business fact (order id + milestone), never a new GUID.</param>
/// <param name="Kind">The template family (order-placed, instalment-reminder, ...); see Templates/en.json.</param>
/// <param name="Data">Values the templates show (already formatted where formatting depends on the product line).</param>
/// <param name="NotBefore">A scheduled send: the message waits (recorded Deferred) until then; null sends now.</param>
public sealed record NotificationEvent(
    string Id,
    string Kind,
    string TenantId,
    NotificationRecipient Recipient,
    IReadOnlyDictionary<string, string> Data,
    NotificationCategory Category = NotificationCategory.Transactional,
    NotificationUrgency Urgency = NotificationUrgency.Normal,
    IReadOnlyList<NotificationDocument>? Documents = null,
    DateTimeOffset? NotBefore = null);

/// <summary>A message ready for a channel: the templates' output in the recipient's language.</summary>
public sealed record RenderedMessage(NotificationChannel Channel, string Language, string Subject, string Text, string? Html);

/// <summary>A file sent with an e-mail.</summary>
public sealed record MessageAttachment(string FileName, string ContentType, ReadOnlyMemory<byte> Content);

/// <summary>One outgoing message on one channel.</summary>
/// <param name="DeliveryId">Stable per (event, channel, recipient): providers that deduplicate (ACS's Repeatability-Request-ID, SMTP's Message-ID) get it.</param>
public sealed record OutgoingMessage(
    string DeliveryId,
    string TenantId,
    string CustomerId,
    NotificationChannel Channel,
    string To,
    string? ToName,
    string FromName,
    RenderedMessage Content,
    IReadOnlyList<MessageAttachment> Attachments);

/// <summary>A channel's adapter: SMTP or Azure Communication Services for e-mail, ACS or a local sink for SMS and push.</summary>
public interface IMessageSender
{
    NotificationChannel Channel { get; }

    /// <returns>The provider's id of the accepted message.</returns>
    /// <exception cref="MessageRejectedException">The provider refused this message for good (bad address): no retry helps.</exception>
    Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>A provider's final refusal of one message; any other exception counts as transient and is retried.</summary>
public sealed class MessageRejectedException : Exception
{
    public MessageRejectedException()
    {
    }

    public MessageRejectedException(string message)
        : base(message)
    {
    }

    public MessageRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
