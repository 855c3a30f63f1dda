using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Integrations.Notifications;

public sealed class SmtpOptions
{
    public const string SectionName = "Notifications:Smtp";

    /// <summary>Locally maildev on loopback (scripts/dev-services.sh); any SMTP relay elsewhere.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1025;

    /// <summary>None (maildev), StartTls or SslOnConnect (a real relay).</summary>
    public string Security { get; set; } = "None";

    /// <summary>Empty: no authentication (maildev).</summary>
    public string UserName { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// E-mail over SMTP with MailKit. The delivery id becomes the Message-ID, so a message sent again after a
/// crash (see NotificationService) carries the same id and mail clients show it once.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options, IOptions<NotificationOptions> notifications, IOptions<TenantProfileOptions> tenants) : IMessageSender
{
    public NotificationChannel Channel => NotificationChannel.Email;

    public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var mime = Build(message, From(tenants.Value.For(message.TenantId), notifications.Value));
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, Security(settings.Security), cancellationToken).ConfigureAwait(false);
            if (settings.UserName.Length > 0)
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password, cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(mime, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted
                                              && (int)ex.StatusCode >= 500)
        {
            // A 5xx about an address is final; 4xx and connection trouble are retried by the caller.
            throw new MessageRejectedException(ex.Message, ex);
        }

        return mime.MessageId ?? message.DeliveryId;
    }

    internal static MimeMessage Build(OutgoingMessage message, MailboxAddress from)
    {
        var mime = new MimeMessage
        {
            Subject = message.Content.Subject,
            MessageId = $"{message.DeliveryId}@notifications.serverless-mobility",
        };
        mime.From.Add(from);
        mime.To.Add(new MailboxAddress(message.ToName ?? string.Empty, message.To));
        mime.Headers.Add("Content-Language", message.Content.Language);
        var body = new BodyBuilder { TextBody = message.Content.Text, HtmlBody = message.Content.Html };
        foreach (var attachment in message.Attachments)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content.ToArray(), ContentType.Parse(attachment.ContentType));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    internal static MailboxAddress From(TenantProfile tenant, NotificationOptions options) =>
        new(tenant.Name, tenant.FromAddress.Length > 0 ? tenant.FromAddress : options.FromAddress);

    private static SecureSocketOptions Security(string value) => value switch
    {
        "StartTls" => SecureSocketOptions.StartTls,
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        "Auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.None,
    };
}
