using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Payments;

public enum PaymentPurpose
{
    Deposit,
    Final,
}

public enum PaymentStatus
{
    Pending,
    Succeeded,
    Failed,
    Refunded,
}

/// <summary>A payment intent at the provider and what became of it.</summary>
public sealed record Payment
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string OrderId { get; init; }

    public required string CustomerId { get; init; }

    public required PaymentPurpose Purpose { get; init; }

    public required Money Amount { get; init; }

    public required PaymentStatus Status { get; init; }

    public required string ProviderPaymentId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The provider's id of the payment that settled this intent, so a second notice of it is recognised (and a different payment is not).</summary>
    public string? SettledByPaymentId { get; init; }
}

/// <summary>What the provider reports for a payment, raised into the order's workflow.</summary>
public sealed record PaymentOutcome(string ProviderPaymentId, bool Succeeded, string? FailureReason = null);
