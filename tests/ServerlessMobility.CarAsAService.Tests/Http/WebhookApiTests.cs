using System.Net;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Orders;
using ServerlessMobility.Core.CarAsAService.Payments;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.CarAsAService.Tests.Http;

public sealed class WebhookApiTests(CaasHost host) : IClassFixture<CaasHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    private string KnownOrder()
    {
        var id = NewId("o-");
        host.Workflows.Known[id] = true;
        return id;
    }

    private static string PaymentBody(string eventId, string orderId, string type = "payment.succeeded", string purpose = "deposit") =>
        $$"""{"eventId":"{{eventId}}","type":"{{type}}","paymentId":"pi_1","orderId":"{{orderId}}","purpose":"{{purpose}}"}""";

    private async Task<HttpResponseMessage> PostAsync(string route, string secret, string body, DateTimeOffset? at = null, string? signature = null)
    {
        using var client = host.Anonymous();
        using var request = host.SignedRequest(route, secret, body, at, signature);
        return await client.SendAsync(request, Ct);
    }

    private async Task<string?> StoredRawAsync(string provider, string eventId)
    {
        var blob = host.Get<StorageClients>().GetContainer(CaasStores.WebhooksContainer).GetBlobClient($"{provider}/{eventId}.json");
        return await blob.ExistsAsync(Ct) ? (await blob.DownloadContentAsync(Ct)).Value.Content.ToString() : null;
    }

    [Fact]
    public async Task Payments_ValidSignature_Returns200AndRaisesDepositEvent()
    {
        var order = KnownOrder();
        var eventId = NewId("evt_");

        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(eventId, order));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raised = Assert.Single(host.Workflows.Raised, r => r.InstanceId == order);
        Assert.Equal(OrderToDeliveryWorkflow.DepositPaymentEvent, raised.EventName);
        Assert.Equal(new PaymentOutcome("pi_1", true), raised.Payload);
    }

    [Fact]
    public async Task Payments_BadSignature_Returns401AndStoresNothing()
    {
        var order = KnownOrder();
        var eventId = NewId("evt_");

        using var wrongSecret = await PostAsync("/api/webhooks/payments", "not-the-secret", PaymentBody(eventId, order));
        using var garbage = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(eventId, order), signature: "00ff");
        using var factorySecret = await PostAsync("/api/webhooks/payments", CaasHost.FactorySecret, PaymentBody(eventId, order));

        Assert.All([wrongSecret, garbage, factorySecret], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.DoesNotContain(host.Workflows.Raised, r => r.InstanceId == order);
        Assert.Null(await StoredRawAsync("payments", eventId));
    }

    [Fact]
    public async Task Payments_TimestampSixMinutesOld_Returns401()
    {
        var order = KnownOrder();

        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order),
            at: host.Time.GetUtcNow().AddMinutes(-6));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(host.Workflows.Raised, r => r.InstanceId == order);
    }

    [Fact]
    public async Task Payments_DuplicateEventId_Returns200WithoutReprocessing()
    {
        var order = KnownOrder();
        var body = PaymentBody(NewId("evt_"), order);

        using var first = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);
        using var second = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("\"duplicate\":true", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Single(host.Workflows.Raised, r => r.InstanceId == order);
    }

    [Theory]
    [InlineData("{not json", HttpStatusCode.BadRequest)]
    [InlineData("""{"type":"payment.succeeded"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"eventId":"e/../x","type":"payment.succeeded"}""", HttpStatusCode.BadRequest)]
    public async Task Payments_MalformedBody_Returns400(string body, HttpStatusCode expected)
    {
        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Payments_UnknownTypeOrOrder_Returns422()
    {
        var order = KnownOrder();

        using var badType = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order, type: "payment.exploded"));
        using var unknownOrder = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), "o-nobody"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badType.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownOrder.StatusCode);
    }

    [Fact]
    public async Task Payments_ProcessingFails_RawBodyStoredFirstAndRedeliveryProcessed()
    {
        var order = KnownOrder();
        var eventId = NewId("evt_");
        var body = PaymentBody(eventId, order);
        host.Workflows.FailNextRaise[order] = true;

        using var failed = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);
        var stored = await StoredRawAsync("payments", eventId);
        using var redelivered = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(body, stored);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Single(host.Workflows.Raised, r => r.InstanceId == order);
    }

    [Fact]
    public async Task Factory_StagesOutOfOrderAndDuplicated_EachEventRaisedOnce()
    {
        var order = KnownOrder();
        string Stage(string eventId, string status, string? vin = null) =>
            $$"""{"eventId":"{{eventId}}","orderId":"{{order}}","status":"{{status}}"{{(vin is null ? "" : $",\"vin\":\"{vin}\"")}}}""";

        foreach (var body in new[] { Stage("f1", "in_production"), Stage("f0", "accepted"), Stage("f1", "in_production"), Stage("f2", "ready_for_delivery", "VIN123") })
        {
            using var response = await PostAsync("/api/webhooks/factory", CaasHost.FactorySecret, body.Replace("\"f", $"\"{order}-f", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var stages = host.Workflows.Raised.Where(r => r.InstanceId == order).Select(r => ((FactoryStatusEvent)r.Payload!).Stage).ToList();
        Assert.Equal([ManufacturingStage.InProduction, ManufacturingStage.Accepted, ManufacturingStage.ReadyForDelivery], stages);
    }

    [Fact]
    public async Task Factory_ReadyWithoutVinOrUnknownStatus_Returns422()
    {
        var order = KnownOrder();

        using var noVin = await PostAsync("/api/webhooks/factory", CaasHost.FactorySecret,
            $$"""{"eventId":"{{NewId("f")}}","orderId":"{{order}}","status":"ready_for_delivery"}""");
        using var unknown = await PostAsync("/api/webhooks/factory", CaasHost.FactorySecret,
            $$"""{"eventId":"{{NewId("f")}}","orderId":"{{order}}","status":"painted"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noVin.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
    }

    [Fact]
    public async Task Factory_SignedWithPaymentsSecret_Returns401()
    {
        var order = KnownOrder();

        using var response = await PostAsync("/api/webhooks/factory", CaasHost.PaymentsSecret,
            $$"""{"eventId":"{{NewId("f")}}","orderId":"{{order}}","status":"accepted"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
