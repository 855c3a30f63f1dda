using Microsoft.DurableTask.Client;
using ServerlessMobility.Core.RentToOwn.Plans;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.Core.RentToOwn.Collection;

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
public sealed class PlanPayments(IPaymentPlanStore plans, DurableTaskClient workflows)
{
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
