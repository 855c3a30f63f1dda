using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.CarAsAService.Partners;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Tests.Integrations;

/// <summary>The outbound HTTP adapters, with their resilience pipeline, against WireMock stand-ins.</summary>
public sealed class HttpAdapterTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services;

    // Generous, so a first call that is slow on a loaded CI machine (connection, JIT) is not retried and
    // the exact request logs below stay true; the timeout test builds its own adapters with a short one.
    public HttpAdapterTests() => _services = BuildServices(TimeSpan.FromSeconds(15));

    private ServiceProvider BuildServices(TimeSpan attemptTimeout)
    {
        var url = _server.Urls[0];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CarAsAService:Outbound:Mode"] = "Http",
            ["CarAsAService:Outbound:PaymentsBaseUrl"] = url + "/pay/",
            ["CarAsAService:Outbound:FactoryBaseUrl"] = url + "/factory/",
            ["CarAsAService:Outbound:RegistrationBaseUrl"] = url + "/dgt/",
            ["CarAsAService:Outbound:AttemptTimeout"] = attemptTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["CarAsAService:Outbound:TotalTimeout"] = "00:01:00",
            ["CarAsAService:Outbound:RetryBaseDelay"] = "00:00:00.050",
        }).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddCarAsAServiceIntegrations(configuration).BuildServiceProvider();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _services.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task CreateIntent_TransientFailureThenSuccess_RetriesWithSameIdempotencyKey()
    {
        _server.Given(Request.Create().WithPath("/pay/v1/payment_intents").UsingPost()).InScenario("flaky").WillSetStateTo("failed-once")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/pay/v1/payment_intents").UsingPost()).InScenario("flaky").WhenStateIs("failed-once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "pi_42" }));

        var intent = await _services.GetRequiredService<IPaymentProvider>().CreateIntentAsync(
            new PaymentIntentRequest("o-1-deposit", "t1", "o-1", PaymentPurpose.Deposit, Money.Of(3751m, "EUR")), Ct);

        Assert.Equal("pi_42", intent.ProviderPaymentId);
        var keys = _server.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Equal(["o-1-deposit", "o-1-deposit"], keys);
        Assert.Contains("\"currency\":\"EUR\"", _server.LogEntries[^1].RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CardPayments_HoldCaptureVoidAndCharge_DeclineIsAnAnswerAndAnAlreadyVoidedHoldIsFine()
    {
        _server.Given(Request.Create().WithPath("/pay/v1/authorizations").UsingPost().WithBody(b => b!.Contains("\"customer\":\"c-ok\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "auth_1" }));
        _server.Given(Request.Create().WithPath("/pay/v1/authorizations").UsingPost().WithBody(b => b!.Contains("\"customer\":\"c-poor\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(402).WithBodyAsJson(new { id = "", code = "insufficient_funds" }));
        _server.Given(Request.Create().WithPath("/pay/v1/authorizations/auth_1/capture").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        _server.Given(Request.Create().WithPath("/pay/v1/authorizations/auth_1/void").UsingPost()).RespondWith(Response.Create().WithStatusCode(409));
        _server.Given(Request.Create().WithPath("/pay/v1/charges").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "ch_9" }));
        var payments = _services.GetRequiredService<ServerlessMobility.CarAsAService.Features.ICardPayments>();
        var amount = Money.Of(121m, "EUR");

        var held = await payments.AuthorizeAsync(new("feature-auth:s-1", "t1", "c-ok", "s-1", amount), Ct);
        var declined = await payments.AuthorizeAsync(new("feature-auth:s-2", "t1", "c-poor", "s-2", amount), Ct);
        await payments.CaptureAsync("auth_1", amount, "feature-capture:s-1", Ct);
        await payments.VoidAsync("auth_1", "feature-void:s-1", Ct);
        var charged = await payments.ChargeAsync(new("feature-invoice:i-1", "t1", "c-ok", "i-1", amount), Ct);

        Assert.Equal(new ServerlessMobility.CarAsAService.Features.CardAuthorization(true, "auth_1", null), held);
        Assert.Equal(new ServerlessMobility.CarAsAService.Features.CardAuthorization(false, null, "insufficient_funds"), declined);
        Assert.Equal(new ServerlessMobility.CarAsAService.Features.CardCharge(true, "ch_9", null), charged);
        Assert.Equal(["feature-auth:s-1", "feature-auth:s-2", "feature-capture:s-1", "feature-void:s-1", "feature-invoice:i-1"],
            _server.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList());
    }

    [Fact]
    public async Task PlaceOrder_CarriesTheTenant_IdempotencyKeyIsTenantAndOrder()
    {
        _server.Given(Request.Create().WithPath("/factory/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { accepted = true, factoryOrderId = "fo_7" }));
        var factory = _services.GetRequiredService<IFactory>();

        var first = await factory.PlaceOrderAsync(new FactoryOrderRequest("o-1", "dealer-a", "aurora-s", ["winter"], "ES"), Ct);
        await factory.PlaceOrderAsync(new FactoryOrderRequest("o-1", "dealer-b", "aurora-s", ["winter"], "ES"), Ct);

        Assert.Equal(new FactoryOrderResult(true, "fo_7"), first);
        Assert.Equal(["dealer-a:o-1", "dealer-b:o-1"], _server.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()));
        Assert.Contains("\"tenantId\":\"dealer-a\"", _server.LogEntries[0].RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceOrder_422_IsARejectionNotAFailure()
    {
        _server.Given(Request.Create().WithPath("/factory/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(422).WithBodyAsJson(new { accepted = false, reason = "discontinued" }));

        var result = await _services.GetRequiredService<IFactory>().PlaceOrderAsync(new FactoryOrderRequest("o-1", "t1", "aurora-s", ["winter"], "ES"), Ct);

        Assert.Equal(new FactoryOrderResult(false, null, "discontinued"), result);
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task Register_SlowerThanAttemptTimeout_RetriedThenPlate()
    {
        // The first call answers after 4 s, past the 3 s attempt timeout; every later call at once. Counted per call
        // rather than by a WireMock scenario, whose state moved only once the abandoned slow answer was written: on a
        // loaded machine that came after the retries and every attempt timed out.
        var calls = 0;
        _server.Given(Request.Create().WithPath("/dgt/v1/registrations").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            var first = Interlocked.Increment(ref calls) == 1;
            if (first)
            {
                Thread.Sleep(TimeSpan.FromSeconds(4));
            }

            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new WireMock.Util.BodyData
                {
                    DetectedBodyType = WireMock.Types.BodyType.String,
                    BodyAsString = first ? """{"plateNumber":"late"}""" : """{"plateNumber":"1234-LMN"}""",
                },
            };
        }));

        using var services = BuildServices(TimeSpan.FromSeconds(3));
        var plate = await services.GetRequiredService<IRegistrationOffice>().RegisterAsync(new RegistrationRequest("o-1", "t1", "ES", "VIN1", "c-1", "Ana"), Ct);

        Assert.Equal("1234-LMN", plate);
        Assert.All(_server.LogEntries, e => Assert.Equal("t1:o-1", e.RequestMessage.Headers!["Idempotency-Key"].Single()));
    }

    [Fact]
    public async Task CreateIntent_ServerKeepsFailing_ThrowsAfterRetries()
    {
        _server.Given(Request.Create().WithPath("/pay/v1/payment_intents").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));

        await Assert.ThrowsAsync<HttpRequestException>(() => _services.GetRequiredService<IPaymentProvider>().CreateIntentAsync(
            new PaymentIntentRequest("k", "t1", "o-1", PaymentPurpose.Deposit, Money.Of(1m, "EUR")), Ct));
        Assert.Equal(4, _server.LogEntries.Count);
    }
}
