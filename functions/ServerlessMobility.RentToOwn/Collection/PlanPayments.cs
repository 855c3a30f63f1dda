using System.Globalization;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Operations;
using ServerlessMobility.RentToOwn.Plans;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.RentToOwn.Collection;

/// <summary>A payment notice raised to the collection workflow; it only wakes the workflow to re-read the plan.</summary>
public sealed record PaymentNotice(string ProviderReference, decimal Amount);

/// <summary>
/// Books a payment on a plan, idempotent by provider reference, and wakes the plan's collection
/// workflow. Used by the payment webhook, the customer's payment endpoint and the charge activity.
/// </summary>
/// <remarks>
/// The payment is booked first; waking the workflow is only a shortcut, since it re-reads the plan at its
/// next timer anyway. A plan whose collection is not running (not started yet, or finished) has nothing to wake.
/// </remarks>
public sealed class PlanPayments(IPaymentPlanStore plans, DurableTaskClient workflows, OperatorTasks operatorTasks)
{
    public const string OpenedBy = "rto-payments";

    /// <summary>
    /// A payment reported by the provider or the customer (<c>POST /api/plans/{id}/payments</c>). Money for a plan
    /// that is already paid off has nowhere to go, and the mobile-money gateway cannot refund: an operator task asks
    /// a person to return it (one per provider reference, however often the callback comes). On a plan still
    /// running, more than the outstanding balance stays a 422: nothing is booked and the caller states the amount again.
    /// </summary>
    public async Task<PaymentApplication> RecordReportedAsync(string tenantId, string planId, string providerReference, decimal amount,
        DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RecordAsync(tenantId, planId, providerReference, amount, receivedAt, cancellationToken: cancellationToken);
        }
        catch (BusinessRuleException e) when (e.Rule == "payment-exceeds-balance")
        {
            var plan = await plans.GetAsync(tenantId, planId, cancellationToken);
            if (plan is null || plan.Status != PlanStatus.OwnershipTransferred)
            {
                throw;
            }

            var detail = string.Create(CultureInfo.InvariantCulture,
                $"Payment {providerReference} of {amount} {plan.Currency} arrived after plan {planId} was paid off ({plan.OwnershipTransferredAt:O}). The mobile-money provider cannot refund automatically: return it to the customer.");
            await operatorTasks.OpenAsync(tenantId, OperatorTaskKinds.RefundLatePayment, $"{planId}:{providerReference}", $"plan:{planId}", detail,
                Money.Of(amount, plan.Currency), providerReference, OpenedBy, cancellationToken);
            return PaymentApplication.OperatorTaskOpened;
        }
    }

    public async Task<PaymentApplication> RecordAsync(string tenantId, string planId, string providerReference, decimal amount,
        DateTimeOffset receivedAt, bool raiseEvent = true, CancellationToken cancellationToken = default)
    {
        var applied = await plans.UpdateAsync(tenantId, planId, plan => plan.ApplyPayment(providerReference, amount, receivedAt), cancellationToken);
        if (applied == PaymentApplication.Applied && raiseEvent)
        {
            await workflows.RaiseIfRunningAsync(CollectionWorkflow.InstanceIdFor(tenantId, planId), CollectionWorkflow.PaymentReceivedEvent,
                new PaymentNotice(providerReference, amount), cancellationToken);
        }

        return applied;
    }
}
