using Microsoft.DurableTask;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.CarAsAService.Features;

/// <param name="PeriodStart">The first instant (UTC) of the month this execution bills once it is over.</param>
/// <param name="PeriodEnd">
/// The end of that month, decided by an activity from the <see cref="FeatureCalendar"/> in force and so recorded
/// in the history: the orchestrator never reads the setting. Null in inputs written before fixed-length months
/// existed: a calendar month.
/// </param>
public sealed record FeatureBillingInput(string TenantId, string CustomerId, DateTimeOffset PeriodStart, DateTimeOffset? PeriodEnd = null)
{
    public DateTimeOffset EffectivePeriodEnd => PeriodEnd ?? PeriodStart.AddMonths(1);
}

public sealed record FeatureBillingResult(string CustomerId, DateTimeOffset LastPeriodBilled);

/// <summary>
/// The eternal billing of one customer's open-ended features: sleep until the month is over, invoice
/// and collect the month in arrears, charge a declined invoice again on the retry schedule and hand it to
/// support after the last attempt, then continue as new with the next month. Once the customer has no
/// open-ended subscription left it waits, without a timer, for the next activation (<see cref="ActivatedEvent"/>)
/// instead of ending: an activation that found the instance still running while it was about to end would
/// otherwise never be billed.
/// </summary>
public sealed class FeatureBillingWorkflow : TaskOrchestrator<FeatureBillingInput, FeatureBillingResult>
{
    public const string Name = "FeatureBilling";

    /// <summary>Raised by <c>Features_StartBilling</c> with the month of the activation (a <see cref="FeatureBillingInput"/>).</summary>
    public const string ActivatedEvent = "OpenEndedActivated";

    private static readonly RetryPolicy BillingRetry = new(6, TimeSpan.FromMinutes(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromHours(1));

    public static string InstanceIdFor(string tenantId, string customerId) => WorkflowInstanceIds.For(tenantId, "feature-billing", customerId);

    public override async Task<FeatureBillingResult> RunAsync(TaskOrchestrationContext context, FeatureBillingInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var periodEnd = input.EffectivePeriodEnd;
        context.SetCustomStatus(new { stage = "waiting", period = input.PeriodStart, billsAt = periodEnd });
        await context.SleepUntilAsync(periodEnd);

        context.SetCustomStatus(new { stage = "billing", period = input.PeriodStart });
        var outcome = await context.CallActivityAsync<FeatureMonthBilled>(FeatureActivities.BillMonth, input with { PeriodEnd = periodEnd }, BillingRetry.Retry());
        var collectedLater = await CollectDeclinedAsync(context, input, periodEnd, outcome);

        // After days of collecting, "no open subscription" is stale: a purchase meanwhile found this instance
        // running and left it to bill the new feature, so only an execution that went straight through goes idle.
        if (!outcome.HasOpenSubscriptions && !collectedLater)
        {
            context.SetCustomStatus(new { stage = "idle", lastPeriod = input.PeriodStart, outcome.InvoiceIds });
            FeatureBillingInput next;
            do
            {
                // An activation of a month already billed was open when it was billed (a subscription is open from its
                // purchase on, before BillMonth's query could miss it): only a later month starts billing again.
                next = await context.WaitForExternalEvent<FeatureBillingInput>(ActivatedEvent);
            }
            while (next.PeriodStart < periodEnd);

            context.ContinueAsNew(next, preserveUnprocessedEvents: false);
            return new FeatureBillingResult(input.CustomerId, input.PeriodStart);
        }

        // Activations raised meanwhile are not needed: their subscriptions are open, so the next month bills them.
        context.ContinueAsNew(input with { PeriodStart = periodEnd, PeriodEnd = outcome.NextPeriodEnd }, preserveUnprocessedEvents: false);
        return new FeatureBillingResult(input.CustomerId, input.PeriodStart);
    }

    /// <summary>
    /// Attempt 1 was made at billing; attempt N+1 waits until the end of the month plus the schedule's N-th
    /// offset. True when any retry was made, that is, when time passed since the month was billed.
    /// </summary>
    private static async Task<bool> CollectDeclinedAsync(TaskOrchestrationContext context, FeatureBillingInput input, DateTimeOffset periodEnd, FeatureMonthBilled outcome)
    {
        var unpaid = outcome.UnpaidInvoiceIds;
        var attempt = 1;
        foreach (var offset in outcome.RetryOffsets)
        {
            if (unpaid.Count == 0)
            {
                return attempt > 1;
            }

            attempt++;
            var retryAt = periodEnd + offset;
            context.SetCustomStatus(new { stage = "collecting", period = input.PeriodStart, unpaid, attempt, retryAt });
            await context.SleepUntilAsync(retryAt);

            unpaid = await context.CallActivityAsync<IReadOnlyList<string>>(FeatureActivities.RetryInvoices,
                new FeatureInvoiceRound(input.TenantId, input.CustomerId, unpaid, attempt), BillingRetry.Retry());
        }

        if (unpaid.Count > 0)
        {
            await context.CallActivityAsync<Unit>(FeatureActivities.GiveUpInvoices, new FeatureInvoiceRound(input.TenantId, input.CustomerId, unpaid, attempt), BillingRetry.Retry());
        }

        return attempt > 1;
    }
}
