using System.Net;
using Microsoft.DurableTask.Client;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.CarAsAService.Tests.Http;

/// <summary>
/// The signed webhooks as endpoints: signature, raw-body inbox, duplicates, validation, and which event
/// reaches which instance. The durable client is a recording stand-in; the real engine's side of these
/// events is covered by the end-to-end tests.
/// </summary>
public sealed class WebhookApiTests(WebhookHost host) : IClassFixture<WebhookHost>
{
    private const string Tenant = "dealer-hooks";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>An order of <paramref name="tenantId"/> whose workflow is running (or in <paramref name="status"/>).</summary>
    private string KnownOrder(string tenantId = Tenant, OrchestrationRuntimeStatus status = OrchestrationRuntimeStatus.Running)
    {
        var id = NewId("o-");
        host.Recorder.Instances[InstanceOf(id, tenantId)] = status;
        return id;
    }

    private static string InstanceOf(string orderId, string tenantId = Tenant) => OrderToDeliveryWorkflow.InstanceIdFor(tenantId, orderId);

    private static string PaymentBody(string eventId, string orderId, string type = "payment.succeeded", string purpose = "deposit", string? tenantId = Tenant) =>
        $$"""{"eventId":"{{eventId}}","type":"{{type}}","paymentId":"pi_1",{{(tenantId is null ? "" : $"\"tenantId\":\"{tenantId}\",")}}"orderId":"{{orderId}}","purpose":"{{purpose}}"}""";

    private static string FactoryBody(string eventId, string orderId, string status, string? vin = null, string? tenantId = Tenant) =>
        $$"""{"eventId":"{{eventId}}",{{(tenantId is null ? "" : $"\"tenantId\":\"{tenantId}\",")}}"orderId":"{{orderId}}","status":"{{status}}"{{(vin is null ? "" : $",\"vin\":\"{vin}\"")}}}""";

    private Task<HttpResponseMessage> PostAsync(string route, string secret, string body, DateTimeOffset? at = null, string? signature = null) =>
        host.PostWebhookAsync(route, secret, body, at, signature);

    private async Task<string?> StoredRawAsync(string provider, string eventId)
    {
        var blob = host.Get<StorageClients>().GetContainer(CaasStores.WebhooksContainer).GetBlobClient($"{provider}/{eventId}.json");
        return await blob.ExistsAsync(Ct) ? (await blob.DownloadContentAsync(Ct)).Value.Content.ToString() : null;
    }

    [Fact]
    public async Task Payments_ValidSignature_Returns200AndRaisesDepositEventToTheTenantsInstance()
    {
        var order = KnownOrder();

        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raised = Assert.Single(host.Recorder.RaisedTo(InstanceOf(order)));
        Assert.Equal($"{Tenant}:order:{order}", raised.InstanceId);
        Assert.Equal(OrderToDeliveryWorkflow.DepositPaymentEvent, raised.EventName);
        Assert.Equal(new PaymentOutcome("pi_1", true), raised.Payload);
    }

    [Fact]
    public async Task Payments_FinalFailed_RaisesFinalPaymentEventWithTheReason()
    {
        var order = KnownOrder();
        var body = $$"""{"eventId":"{{NewId("evt_")}}","type":"payment.failed","paymentId":"pi_2","tenantId":"{{Tenant}}","orderId":"{{order}}","purpose":"final","failureReason":"insufficient_funds"}""";

        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raised = Assert.Single(host.Recorder.RaisedTo(InstanceOf(order)));
        Assert.Equal((OrderToDeliveryWorkflow.FinalPaymentEvent, (object?)new PaymentOutcome("pi_2", false, "insufficient_funds")), (raised.EventName, raised.Payload));
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
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(order)));
        Assert.Null(await StoredRawAsync("payments", eventId));
    }

    [Fact]
    public async Task Payments_TimestampSixMinutesOld_Returns401()
    {
        var order = KnownOrder();

        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order),
            at: DateTimeOffset.UtcNow.AddMinutes(-6));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(order)));
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
        Assert.Single(host.Recorder.RaisedTo(InstanceOf(order)));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"type":"payment.succeeded"}""")]
    [InlineData("""{"eventId":"e/../x","type":"payment.succeeded"}""")]
    public async Task Payments_MalformedBody_Returns400(string body)
    {
        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dealer:other")]
    public async Task Payments_WithoutAValidTenantId_Returns400AndRaisesNothing(string? tenantId)
    {
        var order = KnownOrder();
        var body = tenantId is null ? PaymentBody(NewId("evt_"), order, tenantId: null) : PaymentBody(NewId("evt_"), order, tenantId: tenantId);

        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tenantId", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(order)));
    }

    [Fact]
    public async Task Payments_SameOrderIdInAnotherTenant_ReachesOnlyThatTenantsInstance()
    {
        var order = KnownOrder();
        host.Recorder.Instances[InstanceOf(order, "dealer-hooks-2")] = OrchestrationRuntimeStatus.Running;

        using var response = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order, tenantId: "dealer-hooks-2"));
        using var unknownThere = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order, tenantId: "dealer-hooks-3"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"outcome\":\"delivered\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // No such order in that tenant: the money is not raised anywhere, an operator of that tenant returns it.
        Assert.Equal(HttpStatusCode.OK, unknownThere.StatusCode);
        Assert.Contains("\"outcome\":\"operatorTaskOpened\"", await unknownThere.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Single(host.Recorder.RaisedTo(InstanceOf(order, "dealer-hooks-2")));
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(order)));
    }

    [Fact]
    public async Task Payments_UnknownTypeOrPurpose_Returns422()
    {
        var order = KnownOrder();

        using var badType = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order, type: "payment.exploded"));
        using var badPurpose = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), order, purpose: "tip"));

        Assert.All([badType, badPurpose], r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(order)));
    }

    [Fact]
    public async Task Payments_UnknownOrderOrFinishedWorkflow_MoneyHandedOverFailureIgnored_NothingRaised()
    {
        var finished = KnownOrder(status: OrchestrationRuntimeStatus.Completed);

        // Neither order has a payment intent on record and the provider gave no amount: an operator refunds by hand.
        using var unknownOrder = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret,
            PaymentBody(NewId("evt_"), "o-nobody").Replace("pi_1", NewId("pi_"), StringComparison.Ordinal));
        using var late = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret,
            PaymentBody(NewId("evt_"), finished).Replace("pi_1", NewId("pi_"), StringComparison.Ordinal));
        using var lateFailure = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, PaymentBody(NewId("evt_"), finished, type: "payment.failed"));

        Assert.All([unknownOrder, late, lateFailure], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains("\"outcome\":\"operatorTaskOpened\"", await unknownOrder.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"operatorTaskOpened\"", await late.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"ignored\"", await lateFailure.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(finished)));
    }

    [Fact]
    public async Task Payments_LateWithTheProvidersAmount_RefundedThatAmountOnce()
    {
        var finished = KnownOrder(status: OrchestrationRuntimeStatus.Completed);
        var paymentId = NewId("pi_");
        var body = PaymentBody(NewId("evt_"), finished).Replace("pi_1", paymentId, StringComparison.Ordinal)
            .Replace("\"purpose\":\"deposit\"", "\"purpose\":\"deposit\",\"amount\":1500.00,\"currency\":\"EUR\"", StringComparison.Ordinal);

        using var first = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);
        using var again = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body.Replace("evt_", "evt_x", StringComparison.Ordinal));

        Assert.Contains("\"outcome\":\"refunded\"", await first.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"refunded\"", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var refund = Assert.Single(host.Get<ServerlessMobility.CarAsAService.Partners.SimulatedPaymentProvider>().Refunds, r => r.PaymentId == paymentId);
        Assert.Equal(new ServerlessMobility.Platform.Currencies.Money(1500.00m, "EUR"), refund.Amount);
    }

    [Fact]
    public async Task Payments_ProcessingFails_RawBodyStoredFirstAndRedeliveryProcessed()
    {
        var order = KnownOrder();
        var eventId = NewId("evt_");
        var body = PaymentBody(eventId, order);
        host.Recorder.FailNextRaise[InstanceOf(order)] = true;

        using var failed = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);
        var stored = await StoredRawAsync("payments", eventId);
        using var redelivered = await PostAsync("/api/webhooks/payments", CaasHost.PaymentsSecret, body);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(body, stored);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Single(host.Recorder.RaisedTo(InstanceOf(order)));
    }

    [Fact]
    public async Task Factory_StagesOutOfOrderAndDuplicated_EachEventRaisedOnce()
    {
        var order = KnownOrder();
        var bodies = new[]
        {
            FactoryBody($"{order}-f1", order, "in_production"), FactoryBody($"{order}-f0", order, "accepted"),
            FactoryBody($"{order}-f1", order, "in_production"), FactoryBody($"{order}-f2", order, "ready_for_delivery", "VIN123"),
        };

        foreach (var body in bodies)
        {
            using var response = await PostAsync("/api/webhooks/factory", CaasHost.FactorySecret, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var raised = host.Recorder.RaisedTo(InstanceOf(order));
        Assert.All(raised, r => Assert.Equal(OrderToDeliveryWorkflow.ManufacturingStatusEvent, r.EventName));
        Assert.Equal(
            [new FactoryStatusEvent($"{order}-f1", ManufacturingStage.InProduction), new FactoryStatusEvent($"{order}-f0", ManufacturingStage.Accepted),
             new FactoryStatusEvent($"{order}-f2", ManufacturingStage.ReadyForDelivery, "VIN123")],
            raised.Select(r => (FactoryStatusEvent)r.Payload!));
    }

    [Fact]
    public async Task Factory_ReadyWithoutVinUnknownStatusOrNoTenant_Rejected()
    {
        var order = KnownOrder();

        using var noVin = await PostAsync("/api/webhooks/factory", CaasHost.FactorySecret, FactoryBody(NewId("f"), order, "ready_for_delivery"));
        using var unknown = await PostAsync("/api/webhooks/factory", CaasHost.FactorySecret, FactoryBody(NewId("f"), order, "painted"));
        using var noTenant = await PostAsync("/api/webhooks/factory", CaasHost.FactorySecret, FactoryBody(NewId("f"), order, "accepted", tenantId: null));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noVin.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noTenant.StatusCode);
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(order)));
    }

    [Fact]
    public async Task Factory_SignedWithPaymentsSecret_Returns401()
    {
        var order = KnownOrder();

        using var response = await PostAsync("/api/webhooks/factory", CaasHost.PaymentsSecret, FactoryBody(NewId("f"), order, "accepted"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Recorder.RaisedTo(InstanceOf(order)));
    }
}
