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
/// The workflow client is optional until a durable engine is hosted locally: the payment is booked
/// either way, and the workflow re-reads the plan at its next timer.
/// </remarks>
public sealed class PlanPayments(IPaymentPlanStore plans, IWorkflowClient? workflows = null)
{
    public async Task<PaymentApplication> RecordAsync(string tenantId, string planId, string providerReference, decimal amount,
        DateTimeOffset receivedAt, bool raiseEvent = true, CancellationToken cancellationToken = default)
    {
        var applied = await plans.UpdateAsync(tenantId, planId, plan => plan.ApplyPayment(providerReference, amount, receivedAt), cancellationToken);
        if (applied == PaymentApplication.Applied && raiseEvent && workflows is not null)
        {
            try
            {
                await workflows.RaiseEventAsync(CollectionWorkflow.InstanceIdFor(tenantId, planId), CollectionWorkflow.PaymentReceivedEvent,
                    new PaymentNotice(providerReference, amount), cancellationToken);
            }
            catch (WorkflowInstanceNotFoundException)
            {
                // No collection running (not started yet, or already completed): the payment is booked, nothing to wake.
            }
        }

        return applied;
    }
}
