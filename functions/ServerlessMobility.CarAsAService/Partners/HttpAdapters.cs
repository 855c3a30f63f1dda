using System.Net.Http.Json;
using ServerlessMobility.Platform.Currencies;

using ServerlessMobility.Integrations.Outbound;

namespace ServerlessMobility.CarAsAService.Partners;

/// <summary>Car-as-a-Service's partners: simulated or over HTTP, their base URLs, and the shared timeouts and retries.</summary>
public sealed class OutboundOptions : OutboundHttpPolicy
{
    public const string SectionName = PolicySectionName;

    /// <summary>"Simulated" (local host default) or "Http".</summary>
    public string Mode { get; set; } = "Simulated";

    public Uri? PaymentsBaseUrl { get; set; }

    public Uri? FactoryBaseUrl { get; set; }

    public Uri? RegistrationBaseUrl { get; set; }
}

/// <summary>The payment provider's REST API: POST /v1/payment_intents, POST /v1/refunds.</summary>
public sealed class HttpPaymentProvider(HttpClient http) : IPaymentProvider
{
    public async Task<PaymentIntent> CreateIntentAsync(PaymentIntentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = PartnerWire.Post("v1/payment_intents", new
        {
            amount = request.Amount.Amount,
            currency = request.Amount.Currency,
            metadata = new { orderId = request.OrderId, tenantId = request.TenantId, purpose = request.Purpose.ToString().ToLowerInvariant() },
        }, request.IdempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var body = await PartnerWire.ReadAsync<IntentResponse>(response, cancellationToken).ConfigureAwait(false);
        return new PaymentIntent(body.Id, body.CheckoutUrl);
    }

    public async Task RefundAsync(string providerPaymentId, Money amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(amount);
        using var message = PartnerWire.Post("v1/refunds", new { paymentId = providerPaymentId, amount = amount.Amount, currency = amount.Currency }, idempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private sealed record IntentResponse(string Id, Uri? CheckoutUrl);
}

/// <summary>The factory's ordering API: POST /v1/orders answers accepted or rejected at once.</summary>
public sealed class HttpFactory(HttpClient http) : IFactory
{
    public async Task<FactoryOrderResult> PlaceOrderAsync(FactoryOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = PartnerWire.Post("v1/orders", new { reference = request.OrderId, tenantId = request.TenantId, request.ModelId, request.Packs, request.Country }, $"{request.TenantId}:{request.OrderId}");
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity)
        {
            // A business rejection is an answer, not a failure: the workflow compensates instead of retrying.
            var rejection = await response.Content.ReadFromJsonAsync<FactoryResponse>(PartnerWire.Json, cancellationToken).ConfigureAwait(false);
            return new FactoryOrderResult(false, null, rejection?.Reason ?? "rejected");
        }

        var body = await PartnerWire.ReadAsync<FactoryResponse>(response, cancellationToken).ConfigureAwait(false);
        return new FactoryOrderResult(body.Accepted, body.FactoryOrderId, body.Reason);
    }

    private sealed record FactoryResponse(bool Accepted, string? FactoryOrderId, string? Reason);
}

/// <summary>The registration office: POST /v1/registrations returns the plate number.</summary>
public sealed class HttpRegistrationOffice(HttpClient http) : IRegistrationOffice
{
    public async Task<string> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = PartnerWire.Post("v1/registrations", new { reference = request.OrderId, tenantId = request.TenantId, request.Country, request.Vin, owner = request.OwnerName, ownerId = request.OwnerCustomerId },
            request.IdempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var body = await PartnerWire.ReadAsync<RegistrationResponse>(response, cancellationToken).ConfigureAwait(false);
        return body.PlateNumber;
    }

    private sealed record RegistrationResponse(string PlateNumber);
}

/// <summary>
/// The payment provider's card-on-file API: POST /v1/authorizations (hold), /v1/authorizations/{id}/capture,
/// /v1/authorizations/{id}/void, and /v1/charges for invoices. A decline is an answer (402), not a failure.
/// </summary>
public sealed class HttpCardPayments(HttpClient http) : ServerlessMobility.CarAsAService.Features.ICardPayments
{
    public async Task<ServerlessMobility.CarAsAService.Features.CardAuthorization> AuthorizeAsync(ServerlessMobility.CarAsAService.Features.CardAuthorizationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (approved, id, code) = await PostMoneyAsync("v1/authorizations", request.Amount, request.CustomerId, request.Reference, request.TenantId, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return new ServerlessMobility.CarAsAService.Features.CardAuthorization(approved, id, code);
    }

    public async Task CaptureAsync(string authorizationId, Money amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(amount);
        using var message = PartnerWire.Post($"v1/authorizations/{Uri.EscapeDataString(authorizationId)}/capture", new { amount = amount.Amount, currency = amount.Currency }, idempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public async Task VoidAsync(string authorizationId, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var message = PartnerWire.Post($"v1/authorizations/{Uri.EscapeDataString(authorizationId)}/void", new { }, idempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);

        // 409: already voided (or expired) at the provider, which is what a void wants.
        if (response.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task<ServerlessMobility.CarAsAService.Features.CardCharge> ChargeAsync(ServerlessMobility.CarAsAService.Features.CardChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (succeeded, id, code) = await PostMoneyAsync("v1/charges", request.Amount, request.CustomerId, request.Reference, request.TenantId, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return new ServerlessMobility.CarAsAService.Features.CardCharge(succeeded, id, code);
    }

    /// <summary>Posts an amount for a customer; a 402 is the provider's decline (an answer), anything else not 2xx fails.</summary>
    private async Task<(bool Approved, string? Id, string? DeclineCode)> PostMoneyAsync(string path, Money amount, string customerId, string reference, string tenantId,
        string idempotencyKey, CancellationToken cancellationToken)
    {
        using var message = PartnerWire.Post(path, new
        {
            amount = amount.Amount,
            currency = amount.Currency,
            customer = customerId,
            metadata = new { reference, tenantId },
        }, idempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.PaymentRequired)
        {
            var decline = await response.Content.ReadFromJsonAsync<ProviderAnswer>(PartnerWire.Json, cancellationToken).ConfigureAwait(false);
            return (false, null, decline?.Code ?? "declined");
        }

        var body = await PartnerWire.ReadAsync<ProviderAnswer>(response, cancellationToken).ConfigureAwait(false);
        return (true, body.Id, null);
    }

    private sealed record ProviderAnswer(string Id, string? Code);
}
