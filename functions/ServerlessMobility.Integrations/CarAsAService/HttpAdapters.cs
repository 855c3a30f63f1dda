using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Catalog;

namespace ServerlessMobility.Integrations.CarAsAService;

public sealed class OutboundOptions
{
    public const string SectionName = "CarAsAService:Outbound";

    /// <summary>"Simulated" (local host default) or "Http".</summary>
    public string Mode { get; set; } = "Simulated";

    public Uri? PaymentsBaseUrl { get; set; }

    public Uri? FactoryBaseUrl { get; set; }

    public Uri? RegistrationBaseUrl { get; set; }

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
}

internal static class Wire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpRequestMessage Post(string path, object body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };

        // Retries by the resilience pipeline resend the same key, so the provider acts once.
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException($"Empty response from {response.RequestMessage?.RequestUri}.");
    }
}

/// <summary>The payment provider's REST API: POST /v1/payment_intents, POST /v1/refunds.</summary>
public sealed class HttpPaymentProvider(HttpClient http) : IPaymentProvider
{
    public async Task<PaymentIntent> CreateIntentAsync(PaymentIntentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = Wire.Post("v1/payment_intents", new
        {
            amount = request.Amount.Amount,
            currency = request.Amount.Currency,
            metadata = new { orderId = request.OrderId, tenantId = request.TenantId, purpose = request.Purpose.ToString().ToLowerInvariant() },
        }, request.IdempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var body = await Wire.ReadAsync<IntentResponse>(response, cancellationToken).ConfigureAwait(false);
        return new PaymentIntent(body.Id, body.CheckoutUrl);
    }

    public async Task RefundAsync(string providerPaymentId, Money amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(amount);
        using var message = Wire.Post("v1/refunds", new { paymentId = providerPaymentId, amount = amount.Amount, currency = amount.Currency }, idempotencyKey);
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
        using var message = Wire.Post("v1/orders", new { reference = request.OrderId, request.ModelId, request.Packs, request.Country }, request.OrderId);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity)
        {
            // A business rejection is an answer, not a failure: the workflow compensates instead of retrying.
            var rejection = await response.Content.ReadFromJsonAsync<FactoryResponse>(Wire.Json, cancellationToken).ConfigureAwait(false);
            return new FactoryOrderResult(false, null, rejection?.Reason ?? "rejected");
        }

        var body = await Wire.ReadAsync<FactoryResponse>(response, cancellationToken).ConfigureAwait(false);
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
        using var message = Wire.Post("v1/registrations", new { reference = request.OrderId, request.Country, request.Vin, owner = request.OwnerName, ownerId = request.OwnerCustomerId }, request.OrderId);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var body = await Wire.ReadAsync<RegistrationResponse>(response, cancellationToken).ConfigureAwait(false);
        return body.PlateNumber;
    }

    private sealed record RegistrationResponse(string PlateNumber);
}
