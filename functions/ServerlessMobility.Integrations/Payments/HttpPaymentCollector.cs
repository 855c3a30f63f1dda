using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Integrations.Outbound;
using ServerlessMobility.Platform.Payments;

namespace ServerlessMobility.Integrations.Payments;

/// <summary>
/// The payment provider's charge API: <c>POST /v1/charges</c> takes an amount from the customer's stored payment
/// method. The idempotency key travels as the provider's, so an activity that runs twice charges once. A decline (402
/// with a code such as "card-declined") is an answer the caller's retry schedule acts on; anything else not 2xx throws,
/// after the outbound policy's own retries.
/// </summary>
public sealed class HttpPaymentCollector(HttpClient http) : IPaymentCollector
{
    public async Task<PaymentCollectionResult> CollectAsync(PaymentCollectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = PartnerWire.Post("v1/charges", new
        {
            amount = request.Amount.Amount,
            currency = request.Amount.Currency,
            customer = request.CustomerId,
            description = request.Account,
            metadata = new { tenantId = request.TenantId, account = request.Account },
        }, request.IdempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PaymentRequired)
        {
            var decline = await response.Content.ReadFromJsonAsync<ChargeAnswer>(PartnerWire.Json, cancellationToken).ConfigureAwait(false);
            return PaymentCollectionResult.Declined(decline?.Code ?? "declined");
        }

        var body = await PartnerWire.ReadAsync<ChargeAnswer>(response, cancellationToken).ConfigureAwait(false);
        return PaymentCollectionResult.Paid(body.Id);
    }

    private sealed record ChargeAnswer(string Id, string? Code);
}

/// <summary>Settings of the payment provider behind the shared payments capability (section Payments).</summary>
public sealed class PaymentCollectorOptions
{
    public const string SectionName = "Payments";

    public Uri? BaseUrl { get; set; }
}

public static class PaymentCollectorServiceCollectionExtensions
{
    /// <summary>The real provider over HTTP with the outbound timeouts and retries of the other partner calls; the local host uses its simulator.</summary>
    public static IServiceCollection AddHttpPaymentCollector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PaymentCollectorOptions>().BindConfiguration(PaymentCollectorOptions.SectionName);
        var outbound = configuration.GetSection(OutboundHttpPolicy.PolicySectionName).Get<OutboundHttpPolicy>() ?? new OutboundHttpPolicy();
        var options = configuration.GetSection(PaymentCollectorOptions.SectionName).Get<PaymentCollectorOptions>() ?? new PaymentCollectorOptions();
        services.AddPartnerHttpClient<IPaymentCollector, HttpPaymentCollector>(outbound, options.BaseUrl, "Payments:BaseUrl");
        return services;
    }
}
