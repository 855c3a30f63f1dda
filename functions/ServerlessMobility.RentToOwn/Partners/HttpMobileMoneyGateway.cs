using System.Net.Http.Json;
using ServerlessMobility.RentToOwn.Collection;

using ServerlessMobility.Integrations.Outbound;

namespace ServerlessMobility.RentToOwn.Partners;

/// <summary>
/// The mobile-money provider's collection API: <c>POST /v1/collections</c> pulls an instalment from the
/// customer's wallet. The request's idempotency key is the provider's, so the charge activity's at-least-once
/// runs collect once. A decline (402, with a code such as "insufficient-funds") is an answer the dunning
/// schedule acts on, not a failure; anything else not 2xx throws so the workflow's retry policy acts.
/// </summary>
public sealed class HttpMobileMoneyGateway(HttpClient http) : IMobileMoneyGateway
{
    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = PartnerWire.Post("v1/collections", new
        {
            amount = request.Amount,
            currency = request.Currency,
            customer = request.CustomerId,
            metadata = new { tenantId = request.TenantId, planId = request.PlanId },
        }, request.IdempotencyKey);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.PaymentRequired)
        {
            var decline = await response.Content.ReadFromJsonAsync<CollectionAnswer>(PartnerWire.Json, cancellationToken).ConfigureAwait(false);
            return new ChargeResult(false, null, decline?.Code ?? "declined");
        }

        var body = await PartnerWire.ReadAsync<CollectionAnswer>(response, cancellationToken).ConfigureAwait(false);
        return new ChargeResult(true, body.Id, null);
    }

    private sealed record CollectionAnswer(string Id, string? Code);
}

/// <summary>Settings of the mobile-money provider (section RentToOwn:MobileMoney).</summary>
public sealed class MobileMoneyOptions
{
    public const string SectionName = "RentToOwn:MobileMoney";

    public Uri? BaseUrl { get; set; }
}
