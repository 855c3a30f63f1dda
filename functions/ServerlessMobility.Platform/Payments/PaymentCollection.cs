using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.Platform.Payments;

/// <summary>A request to take money from a customer's stored payment method (card on file, mandate, wallet).</summary>
/// <param name="Account">What the money is for, as the provider's statement shows it ("service-contract:sc-q1"); simulators script by it.</param>
/// <param name="IdempotencyKey">One attempt's key: a repeat (a retried activity) answers the first answer and never charges twice.</param>
public sealed record PaymentCollectionRequest(string TenantId, string Account, string CustomerId, Money Amount, string IdempotencyKey);

/// <summary>What the provider answered. A decline is an answer (with its code), not an error.</summary>
/// <param name="ProviderReference">The provider's id of the payment, when it succeeded.</param>
public sealed record PaymentCollectionResult(bool Succeeded, string? ProviderReference, string? FailureCode)
{
    public static PaymentCollectionResult Paid(string providerReference) => new(true, providerReference, null);

    public static PaymentCollectionResult Declined(string failureCode) => new(false, null, failureCode);
}

/// <summary>
/// The shared payments capability: modules collect recurring or one-off amounts through it and keep their own
/// retry schedule and consequences (suspension, default). Implementations honour
/// <see cref="PaymentCollectionRequest.IdempotencyKey"/>, because the activities calling them run at least once;
/// anything but an answer (a timeout, a 5xx) throws so the caller's retry policy acts.
/// </summary>
public interface IPaymentCollector
{
    Task<PaymentCollectionResult> CollectAsync(PaymentCollectionRequest request, CancellationToken cancellationToken);
}
