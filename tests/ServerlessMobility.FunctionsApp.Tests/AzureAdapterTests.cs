using System.Text.Json;
using AccessToken = Azure.Core.AccessToken;
using TokenCredential = Azure.Core.TokenCredential;
using TokenRequestContext = Azure.Core.TokenRequestContext;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using ServerlessMobility.Integrations.Payments;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Messaging;
using ServerlessMobility.Platform.Payments;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.FunctionsApp.Messaging;
using ServerlessMobility.FunctionsApp.Vehicles;
using ServerlessMobility.RentToOwn.Partners;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>The Functions app's Azure adapters against WireMock stand-ins on loopback (and Service Bus's client at its send boundary).</summary>
public sealed class AzureAdapterTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task DirectMethod_DeviceAnswers_PostsToTheTargetTwinWithTheBearerTokenAndReturnsItsAnswer()
    {
        _server.Given(Request.Create().WithPath("/twins/WDEMX000000000001/methods").WithParam("api-version", IoTHubDirectMethodChannel.ApiVersion).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { status = 200, payload = new { applied = true } }));

        var result = await Channel().InvokeAsync("WDEMX000000000001", "activateFeature", """{"commandId":"c-1"}""", TimeSpan.FromSeconds(30), Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal("""{"applied":true}""", result.PayloadJson);
        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Equal("Bearer test-token", request.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("activateFeature", body.RootElement.GetProperty("methodName").GetString());
        Assert.Equal(30, body.RootElement.GetProperty("responseTimeoutInSeconds").GetInt32());
        Assert.Equal("c-1", body.RootElement.GetProperty("payload").GetProperty("commandId").GetString());
    }

    [Fact]
    public async Task DirectMethod_DeviceRefuses_ReturnsTheDevicesStatusNotAnException()
    {
        _server.Given(Request.Create().WithPath("/twins/V1/methods").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { status = 409, payload = new { reason = "driving" } }));

        var result = await Channel().InvokeAsync("V1", "immobilize", "{}", TimeSpan.FromSeconds(5), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(409, result.Status);
    }

    [Theory]
    [InlineData(404, 404103)]
    [InlineData(504, 504101)]
    public async Task DirectMethod_DeviceOfflineOrSilent_IsARetryableTimeout(int status, int errorCode)
    {
        _server.Given(Request.Create().WithPath("/twins/V1/methods").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithBodyAsJson(new { errorCode, message = "device" }));

        await Assert.ThrowsAsync<VehicleCommandTimeoutException>(() => Channel().InvokeAsync("V1", "activateFeature", "{}", TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task DirectMethod_IdentityNotAllowed_SaysWhichRoleTheAppNeeds()
    {
        _server.Given(Request.Create().WithPath("/twins/V1/methods").UsingPost()).RespondWith(Response.Create().WithStatusCode(401));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Channel().InvokeAsync("V1", "activateFeature", "{}", TimeSpan.FromSeconds(5), Ct));

        Assert.Contains("IoT Hub Data Contributor", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectMethod_Throttled_ThrowsForTheWorkflowsRetryPolicy()
    {
        _server.Given(Request.Create().WithPath("/twins/V1/methods").UsingPost()).RespondWith(Response.Create().WithStatusCode(429));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Channel().InvokeAsync("V1", "activateFeature", "{}", TimeSpan.FromSeconds(5), Ct));

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, failure.StatusCode);
    }

    [Fact]
    public async Task MobileMoney_ApprovedDeclinedAndFlaky_DeclineIsAnAnswerAndRetriesKeepTheIdempotencyKey()
    {
        _server.Given(Request.Create().WithPath("/mm/v1/collections").UsingPost().WithBody(b => b!.Contains("\"customer\":\"c-ok\"", StringComparison.Ordinal)))
            .InScenario("flaky").WillSetStateTo("failed-once").RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/mm/v1/collections").UsingPost().WithBody(b => b!.Contains("\"customer\":\"c-ok\"", StringComparison.Ordinal)))
            .InScenario("flaky").WhenStateIs("failed-once").RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "mm_7" }));
        _server.Given(Request.Create().WithPath("/mm/v1/collections").UsingPost().WithBody(b => b!.Contains("\"customer\":\"c-poor\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(402).WithBodyAsJson(new { id = "", code = "insufficient-funds" }));
        using var services = MobileMoneyServices();
        var gateway = services.GetRequiredService<IMobileMoneyGateway>();

        var paid = await gateway.ChargeAsync(new ChargeRequest("t1", "p1", "c-ok", 25m, "KES", "p1:1:0"), Ct);
        var declined = await gateway.ChargeAsync(new ChargeRequest("t1", "p2", "c-poor", 25m, "KES", "p2:1:0"), Ct);

        Assert.Equal(new ChargeResult(true, "mm_7", null), paid);
        Assert.Equal(new ChargeResult(false, null, "insufficient-funds"), declined);
        Assert.Equal(["p1:1:0", "p1:1:0", "p2:1:0"], _server.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()));
        Assert.Contains("\"currency\":\"KES\"", _server.LogEntries[0].RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedPayments_PaidAndDeclined_DeclineIsAnAnswerAndTheKeyIsTheProvidersIdempotencyKey()
    {
        _server.Given(Request.Create().WithPath("/pay/v1/charges").UsingPost().WithBody(b => b!.Contains("\"customer\":\"c-ok\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "ch_1" }));
        _server.Given(Request.Create().WithPath("/pay/v1/charges").UsingPost().WithBody(b => b!.Contains("\"customer\":\"c-poor\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(402).WithBodyAsJson(new { id = "", code = "card-declined" }));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:BaseUrl"] = _server.Urls[0] + "/pay/",
            ["CarAsAService:Outbound:RetryBaseDelay"] = "00:00:00.050",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddHttpPaymentCollector(configuration).BuildServiceProvider();
        var collector = services.GetRequiredService<IPaymentCollector>();

        var paid = await collector.CollectAsync(new PaymentCollectionRequest("t1", "service-contract:sc-1", "c-ok", new Money(24.79m, "EUR"), "sc-1:1:0"), Ct);
        var declined = await collector.CollectAsync(new PaymentCollectionRequest("t1", "service-contract:sc-2", "c-poor", new Money(20m, "GBP"), "sc-2:1:0"), Ct);

        Assert.Equal(PaymentCollectionResult.Paid("ch_1"), paid);
        Assert.Equal(PaymentCollectionResult.Declined("card-declined"), declined);
        Assert.Equal(["sc-1:1:0", "sc-2:1:0"], _server.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()));
        Assert.Contains("\"amount\":24.79", _server.LogEntries[0].RequestMessage.Body, StringComparison.Ordinal);
        Assert.Contains("\"description\":\"service-contract:sc-1\"", _server.LogEntries[0].RequestMessage.Body, StringComparison.Ordinal);
    }

    /// <summary>The event id is the message id, so Service Bus's duplicate detection sees a republished event as the same one.</summary>
    [Fact]
    public async Task ServiceBus_PublishTwice_SameMessageIdSubjectAndTenantOnTheTopicsSender()
    {
        var sent = new List<ServiceBusMessage>();
        var sender = new Mock<ServiceBusSender>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((message, _) => sent.Add(message)).Returns(Task.CompletedTask);
        var client = new Mock<ServiceBusClient>();
        client.Setup(c => c.CreateSender("risk-events")).Returns(sender.Object);
        await using var bus = new ServiceBusMessageBus(client.Object);
        var occurred = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        var riskEvent = new IntegrationEvent("risk-1", "risk-events", "telemetry.speeding", "tenant-a", occurred, """{"vin":"V1"}""");

        await bus.PublishAsync(riskEvent, Ct);
        await bus.PublishAsync(riskEvent, Ct);

        client.Verify(c => c.CreateSender("risk-events"), Times.Once);
        Assert.Equal(2, sent.Count);
        Assert.All(sent, message =>
        {
            Assert.Equal("risk-1", message.MessageId);
            Assert.Equal("telemetry.speeding", message.Subject);
            Assert.Equal("application/json", message.ContentType);
            Assert.Equal("tenant-a", message.ApplicationProperties["tenantId"]);
            Assert.Equal("""{"vin":"V1"}""", message.Body.ToString());
        });
    }

    [Fact]
    public async Task DeviceIdentity_New_CreatedInIoTHubWithTheKeyItReturnsOnce_OnlyIfNoneExists()
    {
        _server.Given(Request.Create().WithPath("/devices/WDEMX000000000001").WithParam("api-version", IoTHubDirectMethodChannel.ApiVersion).UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { deviceId = "WDEMX000000000001" }));

        var created = await Identities().EnsureAsync("WDEMX000000000001", rotateKey: false, Ct);

        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Equal("Bearer test-token", request.Headers!["Authorization"].Single());
        Assert.Equal("*", request.Headers!["If-None-Match"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        var keys = body.RootElement.GetProperty("authentication").GetProperty("symmetricKey");
        Assert.Equal("sas", body.RootElement.GetProperty("authentication").GetProperty("type").GetString());
        Assert.NotNull(created);
        Assert.Equal(created.PrimaryKey, keys.GetProperty("primaryKey").GetString());
        Assert.Equal(32, Convert.FromBase64String(created.PrimaryKey).Length);
        Assert.NotEqual(created.PrimaryKey, keys.GetProperty("secondaryKey").GetString());
        Assert.Equal($"HostName=localhost;DeviceId=WDEMX000000000001;SharedAccessKey={created.PrimaryKey}", created.ConnectionString);
    }

    [Fact]
    public async Task DeviceIdentity_AlreadyInIoTHub_LeftAloneAndNoKeyShown_RotationReplacesTheKeys()
    {
        _server.Given(Request.Create().WithPath("/devices/V1").UsingPut().WithHeader("If-None-Match", "*")).RespondWith(Response.Create().WithStatusCode(412));
        _server.Given(Request.Create().WithPath("/devices/V1").UsingPut().WithHeader("If-Match", "*")).RespondWith(Response.Create().WithStatusCode(200));

        var existing = await Identities().EnsureAsync("V1", rotateKey: false, Ct);
        var rotated = await Identities().EnsureAsync("V1", rotateKey: true, Ct);

        Assert.Null(existing);
        Assert.NotNull(rotated);
        Assert.Equal(2, _server.LogEntries.Count);
    }

    private IoTHubDeviceIdentityRegistry Identities() =>
        new(new HttpClient { BaseAddress = new Uri(_server.Urls[0] + "/") }, new FixedToken("test-token"));

    private IoTHubDirectMethodChannel Channel() =>
        new(new HttpClient { BaseAddress = new Uri(_server.Urls[0] + "/") }, new FixedToken("test-token"));

    private ServiceProvider MobileMoneyServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RentToOwn:MobileMoney:BaseUrl"] = _server.Urls[0] + "/mm/",
            ["CarAsAService:Outbound:AttemptTimeout"] = "00:00:15",
            ["CarAsAService:Outbound:TotalTimeout"] = "00:01:00",
            ["CarAsAService:Outbound:RetryBaseDelay"] = "00:00:00.050",
        }).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRentToOwnMobileMoney(configuration).BuildServiceProvider();
    }

    /// <summary>The managed identity's token, as the credential would hand it out.</summary>
    private sealed class FixedToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
