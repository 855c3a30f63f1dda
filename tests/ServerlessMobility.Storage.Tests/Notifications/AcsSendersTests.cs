using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Integrations.Notifications;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ServerlessMobility.Storage.Tests.Notifications;

/// <summary>The Azure Communication Services adapters against WireMock standing in for the REST API.</summary>
public sealed class AcsSendersTests : IDisposable
{
    private static readonly string AccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OutgoingMessage Message(NotificationChannel channel, string to) => new("0123456789abcdef0123456789abcdef01234567", "t1", "c1", channel, to, "Wanjiru",
        "Acme Motors", new RenderedMessage(channel, "sw", "Somo", "Maandishi", "<p>Maandishi</p>"), []);

    private HttpClient Client() => new(new AcsRequestSigner(Options.Create(new AcsOptions { AccessKey = AccessKey }), _time) { InnerHandler = new HttpClientHandler() })
    {
        BaseAddress = new Uri(_server.Urls[0] + "/"),
    };

    [Fact]
    public async Task Email_Accepted_SignedRequestWithOperationIdAndBody()
    {
        _server.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(202).WithBodyAsJson(new { id = "op-1", status = "Running" }));
        using var http = Client();
        var sender = new AcsEmailSender(http, Options.Create(new AcsOptions { EmailSender = "DoNotReply@mail.test" }));

        var id = await sender.SendAsync(Message(NotificationChannel.Email, "w@example.test"), Ct);

        Assert.Equal("op-1", id);
        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Equal("01234567-89ab-cdef-0123-456789abcdef", request.Headers!["Operation-Id"].Single());
        Assert.Contains("\"senderAddress\":\"DoNotReply@mail.test\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"subject\":\"Somo\"", request.Body, StringComparison.Ordinal);

        // The service recomputes the signature from these parts: recompute it the same way.
        var date = request.Headers["x-ms-date"].Single();
        Assert.Equal("Wed, 02 Dec 2026 09:00:00 GMT", date);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body!)));
        Assert.Equal(hash, request.Headers["x-ms-content-sha256"].Single());
        var host = new Uri(_server.Urls[0]).Authority;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(AccessKey),
            Encoding.UTF8.GetBytes($"POST\n/emails:send?api-version=2023-03-31\n{date};{host};{hash}")));
        Assert.Equal($"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={expected}", request.Headers["Authorization"].Single());
    }

    [Fact]
    public async Task Email_BadRequest_IsAFinalRejection_ServerError_IsRetryable()
    {
        _server.Given(Request.Create().WithPath("/emails:send").WithBody(new WildcardMatcher("*bad@*")).UsingPost()).RespondWith(Response.Create().WithStatusCode(400).WithBody("{\"error\":{\"code\":\"InvalidRecipient\"}}"));
        _server.Given(Request.Create().WithPath("/emails:send").WithBody(new WildcardMatcher("*busy@*")).UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        using var http = Client();
        var sender = new AcsEmailSender(http, Options.Create(new AcsOptions { EmailSender = "DoNotReply@mail.test" }));

        await Assert.ThrowsAsync<MessageRejectedException>(() => sender.SendAsync(Message(NotificationChannel.Email, "bad@example.test"), Ct));
        await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(Message(NotificationChannel.Email, "busy@example.test"), Ct));
    }

    [Fact]
    public async Task Sms_Accepted_CarriesRepeatabilityIdsAndReturnsMessageId()
    {
        _server.Given(Request.Create().WithPath("/sms").UsingPost()).RespondWith(Response.Create().WithStatusCode(202)
            .WithBodyAsJson(new { value = new[] { new { to = "+254700000001", messageId = "sms-1", httpStatusCode = 202, successful = true } } }));
        using var http = Client();
        var sender = new AcsSmsSender(http, Options.Create(new AcsOptions { SmsFrom = "+18005550100" }), _time);

        var id = await sender.SendAsync(Message(NotificationChannel.Sms, "+254700000001"), Ct);

        Assert.Equal("sms-1", id);
        var body = Assert.Single(_server.LogEntries).RequestMessage.Body!;
        Assert.Contains("\"repeatabilityRequestId\":\"01234567-89ab-cdef-0123-456789abcdef\"", body, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"Maandishi\"", body, StringComparison.Ordinal);
        Assert.StartsWith("HMAC-SHA256 ", Assert.Single(_server.LogEntries).RequestMessage.Headers!["Authorization"].Single(), StringComparison.Ordinal);
    }

    public void Dispose() => _server.Stop();
}
