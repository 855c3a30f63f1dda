using System.Globalization;
using System.Text.Json;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Operations;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Payments;

/// <summary>What a webhook did with the event it carried; the webhook's answer says it as <c>outcome</c>.</summary>
public static class WebhookOutcomes
{
    /// <summary>Raised into the running workflow, which takes it from there.</summary>
    public const string Delivered = "delivered";

    /// <summary>Money for a finished or unknown flow (or a second payment of the same purpose) was refunded through the provider.</summary>
    public const string Refunded = "refunded";

    /// <summary>Money for a finished or unknown flow that could not be refunded automatically: a person refunds it (GET /api/operator-tasks).</summary>
    public const string OperatorTaskOpened = "operatorTaskOpened";

    /// <summary>A notice about a payment the order already booked (the provider sent it again under another event id): nothing to do.</summary>
    public const string AlreadyApplied = "alreadyApplied";

    /// <summary>A late notice that moved no money (a failed payment, a factory status for a finished order): acknowledged, nothing to do.</summary>
    public const string Ignored = "ignored";
}

public enum LatePaymentState
{
    /// <summary>Claimed by a delivery that is refunding it (or crashed doing so: the next delivery finishes it with the same key).</summary>
    Pending,
    Refunded,
    OperatorTaskOpened,
}

/// <summary>
/// Money the provider reported for an order whose workflow could not take it (finished, unknown, or already
/// paid for that purpose). One record per provider payment id (stored in <see cref="CaasStores.LatePayments"/>),
/// so a payment is handled once however often, and however concurrently, its webhook arrives.
/// </summary>
public sealed record LatePayment(string Id, string TenantId, string OrderId, string Purpose, string ProviderPaymentId, Money? Amount,
    LatePaymentState State, DateTimeOffset ReceivedAt, DateTimeOffset? SettledAt = null, string? Reason = null, string? OperatorTaskId = null);

/// <summary>
/// Handles money that arrived after its flow ended. The rule: refund automatically when the provider can
/// refund (the card provider behind <see cref="IPaymentProvider"/> can) and the amount is known (the amount
/// the provider reported, or the intent we created for that order and purpose); otherwise open an operator
/// task. The refund's idempotency key is the tenant and the provider's payment id, so the provider refunds a
/// payment once even if two deliveries race past the record's claim.
/// </summary>
public sealed class LatePayments(ITenantRepository<LatePayment> records, ITenantRepository<Payment> payments, ITenantRepository<Order> orders, IPaymentProvider provider,
    OperatorTasks operatorTasks, IAuditLedger audit, TimeProvider time)
{
    public const string OpenedBy = "payments-webhook";

    public static string RecordIdFor(string providerPaymentId) => OperatorTasks.IdFor("late", providerPaymentId);

    public static string RefundKey(string tenantId, string providerPaymentId) => PaymentIds.IdempotencyKey(tenantId, "late-refund:" + providerPaymentId);

    /// <summary>
    /// True when the order is cancelled or completed. Its workflow records that as its last step and takes no
    /// payment after it, even while the instance is still running for a moment: an event raised then is lost.
    /// </summary>
    public async Task<bool> IsOrderFinishedAsync(string tenantId, string orderId, CancellationToken cancellationToken) =>
        (await orders.GetAsync(tenantId, orderId, cancellationToken))?.Value.Status is OrderStatus.Cancelled or OrderStatus.Completed;

    /// <summary>True when the order already booked this very payment for the purpose (a repeated notice, not new money).</summary>
    public async Task<bool> IsBookedAsync(string tenantId, string orderId, PaymentPurpose purpose, string providerPaymentId, CancellationToken cancellationToken) =>
        (await payments.GetAsync(tenantId, PaymentIds.For(orderId, purpose), cancellationToken))?.Value is { } booked
        && string.Equals(booked.SettledByPaymentId, providerPaymentId, StringComparison.Ordinal);

    /// <summary>True when the order's payment for the purpose was already settled by another payment (this one would be a second).</summary>
    public async Task<bool> IsSettledByAnotherAsync(string tenantId, string orderId, PaymentPurpose purpose, string providerPaymentId, CancellationToken cancellationToken) =>
        (await payments.GetAsync(tenantId, PaymentIds.For(orderId, purpose), cancellationToken))?.Value is { SettledByPaymentId: { } settledBy }
        && !string.Equals(settledBy, providerPaymentId, StringComparison.Ordinal);

    /// <returns>One of <see cref="WebhookOutcomes"/>.</returns>
    public async Task<string> HandleAsync(string tenantId, string orderId, PaymentPurpose purpose, string providerPaymentId, Money? reported, string reason,
        CancellationToken cancellationToken)
    {
        var id = RecordIdFor(providerPaymentId);
        var existing = await records.GetAsync(tenantId, id, cancellationToken);
        if (existing?.Value.State is LatePaymentState.Refunded)
        {
            return WebhookOutcomes.Refunded;
        }

        if (existing?.Value.State is LatePaymentState.OperatorTaskOpened)
        {
            return WebhookOutcomes.OperatorTaskOpened;
        }

        if (await IsBookedAsync(tenantId, orderId, purpose, providerPaymentId, cancellationToken))
        {
            return WebhookOutcomes.AlreadyApplied;
        }

        var intent = (await payments.GetAsync(tenantId, PaymentIds.For(orderId, purpose), cancellationToken))?.Value;
        var amount = reported ?? intent?.Amount;
        if (existing is null)
        {
            try
            {
                existing = await records.CreateAsync(tenantId, id, new LatePayment(id, tenantId, orderId, purpose.ToString().ToLowerInvariant(), providerPaymentId, amount,
                    LatePaymentState.Pending, time.GetUtcNow(), Reason: reason), cancellationToken);
            }
            catch (ConflictException)
            {
                // A concurrent delivery claimed it; both go on, and the provider's idempotency key makes one refund.
                existing = await records.GetAsync(tenantId, id, cancellationToken);
            }
        }

        if (amount is null)
        {
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"Payment {providerPaymentId} ({purpose} of order {orderId}) arrived after the order's workflow ended ({reason}); its amount is unknown, so it could not be refunded automatically. Refund it with the provider.");
            var (task, _) = await operatorTasks.OpenAsync(tenantId, OperatorTaskKinds.RefundLatePayment, providerPaymentId, $"order:{orderId}", detail, null,
                providerPaymentId, OpenedBy, cancellationToken);
            await SettleAsync(tenantId, id, LatePaymentState.OperatorTaskOpened, task.Id, cancellationToken);
            return WebhookOutcomes.OperatorTaskOpened;
        }

        await provider.RefundAsync(providerPaymentId, amount, RefundKey(tenantId, providerPaymentId), cancellationToken);
        if (await SettleAsync(tenantId, id, LatePaymentState.Refunded, null, cancellationToken))
        {
            await audit.AppendAsync(new AuditEntry(tenantId, "system:" + OpenedBy, "late-payment.refunded", $"/api/orders/{orderId}/payments/{id}", string.Empty,
                AuditChain.HashContent(JsonSerializer.Serialize(new { providerPaymentId, amount, reason }))), CancellationToken.None);
        }

        return WebhookOutcomes.Refunded;
    }

    /// <returns>true when this call settled the record (false: another delivery had).</returns>
    private async Task<bool> SettleAsync(string tenantId, string id, LatePaymentState state, string? operatorTaskId, CancellationToken cancellationToken)
    {
        var settledHere = false;
        await records.UpdateAsync(tenantId, id, record =>
        {
            if (record.State != LatePaymentState.Pending)
            {
                settledHere = false;
                return record;
            }

            settledHere = true;
            return record with { State = state, SettledAt = time.GetUtcNow(), OperatorTaskId = operatorTaskId };
        }, cancellationToken);
        return settledHere;
    }
}
