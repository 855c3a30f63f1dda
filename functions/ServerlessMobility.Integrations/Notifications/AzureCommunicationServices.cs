using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Integrations.Notifications;

public sealed class AcsOptions
{
    public const string SectionName = "Notifications:Acs";

    /// <summary>https://{resource}.communication.azure.com/</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>
    /// The resource's access key (base64) for HMAC signing, where no managed identity is at hand (WireMock tests,
    /// a developer's own resource). Empty in Azure: the app's managed identity gets Entra ID tokens instead.
    /// </summary>
    public string AccessKey { get; set; } = string.Empty;

    /// <summary>The verified sender address of the resource's e-mail domain (DoNotReply@...).</summary>
    public string EmailSender { get; set; } = string.Empty;

    /// <summary>The SMS-enabled number or alphanumeric sender id, E.164.</summary>
    public string SmsFrom { get; set; } = string.Empty;
}

/// <summary>
/// Authenticates Azure Communication Services requests. With an access key it signs them (HMAC-SHA256): the
/// string to sign is "{METHOD}\n{path and query}\n{x-ms-date};{host};{x-ms-content-sha256}", and the two x-ms
/// headers go with the request because the service recomputes both. Without one it sends the managed
/// identity's Entra ID token (no key in settings, as for every other Azure resource of the app).
/// </summary>
public sealed class AcsRequestSigner(IOptions<AcsOptions> options, TimeProvider time, Azure.Core.TokenCredential? credential = null) : DelegatingHandler
{
    private static readonly string[] Scopes = ["https://communication.azure.com//.default"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.AccessKey.Length == 0)
        {
            var token = await (credential ?? throw new InvalidOperationException("Notifications:Acs:AccessKey is empty and no managed identity credential is registered."))
                .GetTokenAsync(new Azure.Core.TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in Sign(request.Method.Method, request.RequestUri!, body, time.GetUtcNow(), options.Value.AccessKey))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public static IReadOnlyList<(string Name, string Value)> Sign(string method, Uri uri, ReadOnlySpan<byte> body, DateTimeOffset now, string accessKey)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var date = now.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        var contentHash = Convert.ToBase64String(SHA256.HashData(body));
        var toSign = $"{method.ToUpperInvariant()}\n{uri.PathAndQuery}\n{date};{uri.Authority};{contentHash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(accessKey), Encoding.UTF8.GetBytes(toSign)));
        return
        [
            ("x-ms-date", date),
            ("x-ms-content-sha256", contentHash),
            ("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"),
        ];
    }
}

/// <summary>
/// E-mail through the ACS REST API (POST /emails:send). The delivery id goes as Operation-Id, so a send
/// repeated after a crash is the same operation to the service, not a second e-mail.
/// </summary>
public sealed class AcsEmailSender(HttpClient http, IOptions<AcsOptions> options) : IMessageSender
{
    // "./" keeps "emails:" from reading as a URI scheme.
    public const string Path = "./emails:send?api-version=2023-03-31";

    public NotificationChannel Channel => NotificationChannel.Email;

    public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new
        {
            senderAddress = options.Value.EmailSender,
            recipients = new { to = new[] { new { address = message.To, displayName = message.ToName ?? string.Empty } } },
            content = new { subject = message.Content.Subject, plainText = message.Content.Text, html = message.Content.Html },
            headers = new Dictionary<string, string> { ["Content-Language"] = message.Content.Language },
            attachments = message.Attachments.Select(a => new { name = a.FileName, contentType = a.ContentType, contentInBase64 = Convert.ToBase64String(a.Content.Span) }).ToArray(),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Operation-Id", OperationId(message.DeliveryId));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await AcsErrors.ThrowOnFailureAsync(response, cancellationToken).ConfigureAwait(false);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return result.RootElement.TryGetProperty("id", out var id) ? id.GetString() ?? message.DeliveryId : message.DeliveryId;
    }

    /// <summary>ACS wants a GUID: the delivery id's first 32 hex digits are one, the same for every retry.</summary>
    public static string OperationId(string deliveryId) => Guid.ParseExact(deliveryId.PadRight(32, '0')[..32], "N").ToString();
}

/// <summary>
/// SMS through the ACS REST API (POST /sms). Repeatability-Request-ID and Repeatability-First-Sent per
/// recipient make the service drop a repeat of the same delivery.
/// </summary>
public sealed class AcsSmsSender(HttpClient http, IOptions<AcsOptions> options, TimeProvider time) : IMessageSender
{
    public const string Path = "./sms?api-version=2021-03-07";

    public NotificationChannel Channel => NotificationChannel.Sms;

    public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new
        {
            from = options.Value.SmsFrom,
            smsRecipients = new[]
            {
                new
                {
                    to = message.To,
                    repeatabilityRequestId = AcsEmailSender.OperationId(message.DeliveryId),
                    repeatabilityFirstSent = time.GetUtcNow().UtcDateTime.ToString("R", CultureInfo.InvariantCulture),
                },
            },
            message = message.Content.Text,
            smsSendOptions = new { enableDeliveryReport = true, tag = message.DeliveryId },
        };
        using var response = await http.PostAsJsonAsync(Path, body, cancellationToken).ConfigureAwait(false);
        await AcsErrors.ThrowOnFailureAsync(response, cancellationToken).ConfigureAwait(false);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var first = result.RootElement.GetProperty("value")[0];
        if (!first.GetProperty("successful").GetBoolean())
        {
            var status = first.TryGetProperty("httpStatusCode", out var code) ? code.GetInt32() : 0;
            var reason = first.TryGetProperty("errorMessage", out var error) ? error.GetString() ?? "refused" : "refused";
            throw status is >= 400 and < 500 and not 429 ? new MessageRejectedException(reason) : new HttpRequestException(reason);
        }

        return first.GetProperty("messageId").GetString() ?? message.DeliveryId;
    }
}

internal static class AcsErrors
{
    /// <summary>400/403/404/422 are final for this message; 401, 429 and 5xx are worth another attempt later.</summary>
    public static async Task ThrowOnFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var reason = $"ACS answered {(int)response.StatusCode}: {(text.Length > 300 ? text[..300] : text)}";
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            throw new MessageRejectedException(reason);
        }

        throw new HttpRequestException(reason, null, response.StatusCode);
    }
}
