using Microsoft.Extensions.Options;
using ServerlessMobility.RentToOwn.Plans;
using Microsoft.DurableTask;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.RentToOwn.Collection;

/// <param name="Immobilized">Carried across continue-as-new so that paying the arrears remembers to mobilize.</param>
public sealed record CollectionInput(string TenantId, string PlanId, bool Immobilized = false);

public enum CollectionOutcome
{
    /// <summary>This execution handed over to the next one (next instalment or next default check).</summary>
    ContinuedAsNew,
    OwnershipTransferred,
}

public sealed record CollectionResult(CollectionOutcome Outcome, string PlanId);

/// <summary>
/// Collects one plan. Each execution handles one instalment (reminder, due-date charge, smart retries,
/// grace period, default) or one check of a defaulted plan, then continues as new, so that history stays
/// small over years of instalments. Payments arriving by webhook raise <see cref="PaymentReceivedEvent"/>,
/// which only wakes the workflow to re-read the plan: the plan store is the single source of truth. An operator's
/// immobilization (POST /api/plans/{id}/immobilization) is recorded on the plan and raises the same event: the plan
/// then reads as immobilized, so the workflow owes the mobilize once the arrears are paid, as for its own.
/// Time comes only from the context.
/// </summary>
public sealed class CollectionWorkflow(IOptions<CollectionOptions> options) : TaskOrchestrator<CollectionInput, CollectionResult>
{
    public const string Name = "RentToOwnCollection";
    public const string PaymentReceivedEvent = "PaymentReceived";

    private readonly TaskOptions _activityRetry = OrchestrationContextExtensions.ActivityRetry(options.Value.ActivityRetryInterval);

    public static string InstanceIdFor(string tenantId, string planId) => WorkflowInstanceIds.For(tenantId, "rto-collection", planId);

    public override async Task<CollectionResult> RunAsync(TaskOrchestrationContext context, CollectionInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var policy = options.Value;
        var position = await PositionAsync(context, input);
        if (position.ImmobilizedByOperator && !input.Immobilized)
        {
            // A person stopped the vehicle: from here on it is this workflow's to release (a paying customer drives again).
            input = input with { Immobilized = true };
        }

        if (position.Status == PlanStatus.OwnershipTransferred)
        {
            return await CompleteAsync(context, input, position);
        }

        if (position.Status == PlanStatus.Defaulted || input.Immobilized)
        {
            return await RecoverAsync(context, input, position, policy);
        }

        var number = position.NextInstalmentNumber!.Value;
        var due = position.NextDueDate!.Value;
        context.SetCustomStatus(new { instalment = number, dueDate = due, stage = "waiting" });

        var reminderAt = due - policy.ReminderLead;
        if (context.UtcNow() < reminderAt)
        {
            var woken = await WaitUntilAsync(context, input, reminderAt, number);
            if (woken is not null)
            {
                return await NextAsync(context, input, woken);
            }

            // Payments may have come meanwhile (a partial one, or one whose notice was lost): remind of what is left.
            position = await PositionAsync(context, input);
            if (IsSettled(position, number))
            {
                return await NextAsync(context, input, position);
            }

            await NotifyAsync(context, input, position, NotificationKind.PaymentReminder, due);
        }

        // Attempt 0 is on the due date, then one per retry offset.
        var attempts = new List<DateTimeOffset> { due };
        attempts.AddRange(policy.RetryOffsets.Select(offset => due + offset));
        for (var attempt = 0; attempt < attempts.Count; attempt++)
        {
            if (context.UtcNow() < attempts[attempt])
            {
                var woken = await WaitUntilAsync(context, input, attempts[attempt], number);
                if (woken is not null)
                {
                    return await NextAsync(context, input, woken);
                }
            }

            position = await PositionAsync(context, input);
            if (IsSettled(position, number))
            {
                return await NextAsync(context, input, position);
            }

            context.SetCustomStatus(new { instalment = number, dueDate = due, stage = "charging", attempt });
            var outcome = await context.CallActivityAsync<ChargeOutcome>(ChargeInstalmentActivity.Name,
                new ChargeAttempt(input.TenantId, input.PlanId, position.CustomerId, position.Arrears, position.Currency,
                    $"{input.PlanId}:{number}:{attempt}", context.UtcNow()),
                _activityRetry);
            if (outcome.Succeeded)
            {
                position = await PositionAsync(context, input);
                if (IsSettled(position, number))
                {
                    return await NextAsync(context, input, position);
                }
            }

            await NotifyAsync(context, input, position, NotificationKind.PaymentFailed, due);
        }

        var graceEnd = due + policy.GracePeriod;
        if (context.UtcNow() < graceEnd)
        {
            if (position.AllowsImmobilization)
            {
                // Told before the default, with the time the grace period ends, so the customer knows how long is left
                // to pay before the vehicle may be stopped; the default message afterwards is too late for that.
                await NotifyAsync(context, input, position, NotificationKind.ImmobilizationWarning, graceEnd);
            }

            context.SetCustomStatus(new { instalment = number, dueDate = due, stage = "grace" });
            var woken = await WaitUntilAsync(context, input, graceEnd, number);
            if (woken is not null)
            {
                return await NextAsync(context, input, woken);
            }
        }

        var defaulted = await context.CallActivityAsync<bool>(DeclareDefaultActivity.Name,
            new PlanRef(input.TenantId, input.PlanId, context.UtcNow()), _activityRetry);
        position = await PositionAsync(context, input);
        if (defaulted)
        {
            await NotifyAsync(context, input, position, NotificationKind.Defaulted, due);
        }

        return await NextAsync(context, input, position);
    }

    /// <summary>
    /// One check of a defaulted plan: arrears paid -> mobilize if needed and resume collecting; otherwise
    /// immobilize when the contract allows it and the vehicle is standing still (never while it moves),
    /// then wait for a payment or the next check.
    /// </summary>
    private async Task<CollectionResult> RecoverAsync(TaskOrchestrationContext context, CollectionInput input, PlanPosition position, CollectionOptions policy)
    {
        if (position.Arrears == 0)
        {
            if (input.Immobilized && !await MobilizeAsync(context, input, position))
            {
                return await MobilizeLaterAsync(context, input);
            }

            await NotifyAsync(context, input, position, NotificationKind.Reinstated, null);
            context.ContinueAsNew(input with { Immobilized = false });
            return new CollectionResult(CollectionOutcome.ContinuedAsNew, input.PlanId);
        }

        var immobilized = input.Immobilized;
        var recheck = policy.DefaultRecheckInterval;
        if (!immobilized && position.AllowsImmobilization)
        {
            var motion = await context.CallActivityAsync<VehicleMotion?>(GetVehicleMotionActivity.Name,
                new VehicleRef(input.TenantId, position.VehicleId), _activityRetry);
            immobilized = motion is { SpeedKmh: 0 } && await VehicleCommandAsync(context, input, position, SendVehicleCommandActivity.Immobilize);
            if (!immobilized)
            {
                // Moving or unknown (stopping a vehicle in traffic is never acceptable), or not answering: look again soon.
                recheck = policy.StationaryRecheckInterval;
            }
        }

        context.SetCustomStatus(new { stage = "defaulted", arrears = position.Arrears, immobilized });
        await WaitForPaymentAsync(context, context.UtcNow() + recheck);
        context.ContinueAsNew(input with { Immobilized = immobilized });
        return new CollectionResult(CollectionOutcome.ContinuedAsNew, input.PlanId);
    }

    private async Task<CollectionResult> NextAsync(TaskOrchestrationContext context, CollectionInput input, PlanPosition position)
    {
        if (position.Status == PlanStatus.OwnershipTransferred)
        {
            return await CompleteAsync(context, input, position);
        }

        context.ContinueAsNew(input);
        return new CollectionResult(CollectionOutcome.ContinuedAsNew, input.PlanId);
    }

    private async Task<CollectionResult> CompleteAsync(TaskOrchestrationContext context, CollectionInput input, PlanPosition position)
    {
        if (input.Immobilized && !await MobilizeAsync(context, input, position))
        {
            return await MobilizeLaterAsync(context, input);
        }

        await NotifyAsync(context, input, position, NotificationKind.OwnershipTransferred, null);
        context.SetCustomStatus(new { stage = "ownership-transferred" });
        return new CollectionResult(CollectionOutcome.OwnershipTransferred, input.PlanId);
    }

    /// <summary>
    /// Sleeps until <paramref name="until"/>, waking on payment notices to re-read the plan.
    /// </summary>
    /// <returns>The position when instalment <paramref name="number"/> got settled meanwhile; null when the time came.</returns>
    private async Task<PlanPosition?> WaitUntilAsync(TaskOrchestrationContext context, CollectionInput input, DateTimeOffset until, int number)
    {
        while (await WaitForPaymentAsync(context, until))
        {
            var position = await PositionAsync(context, input);
            if (IsSettled(position, number))
            {
                return position;
            }
        }

        return null;
    }

    /// <returns>true when a payment notice arrived before <paramref name="until"/>; false once the workflow's time reached it.</returns>
    /// <remarks>
    /// The plan is read at the workflow's time, so a due date that has not quite come (a timer that fired early)
    /// would read as nothing due and charge nothing: the wait holds until the time has really come.
    /// </remarks>
    private static async Task<bool> WaitForPaymentAsync(TaskOrchestrationContext context, DateTimeOffset until) =>
        (await context.WaitForExternalEventUntilAsync<PaymentNotice>(PaymentReceivedEvent, until)).Received;

    private static bool IsSettled(PlanPosition position, int number) =>
        position.Status == PlanStatus.OwnershipTransferred || position.NextInstalmentNumber is null || position.NextInstalmentNumber > number;

    private Task<PlanPosition> PositionAsync(TaskOrchestrationContext context, CollectionInput input) =>
        context.CallActivityAsync<PlanPosition>(GetPlanPositionActivity.Name, new PlanRef(input.TenantId, input.PlanId, context.UtcNow()), _activityRetry);

    private Task NotifyAsync(TaskOrchestrationContext context, CollectionInput input, PlanPosition position, NotificationKind kind, DateTimeOffset? due) =>
        context.CallActivityAsync(NotifyCustomerActivity.Name,
            new CustomerNotification(input.TenantId, input.PlanId, position.CustomerId, kind,
                kind == NotificationKind.PaymentReminder ? position.DueOnNextDate : position.Arrears, position.Currency, due,
                $"{input.PlanId}:{kind}:{context.NewGuid():N}"),
            _activityRetry);

    /// <returns>false when the vehicle did not take the command through every retry (offline for a while, say).</returns>
    /// <remarks>
    /// A vehicle out of coverage must not end the plan's collection: the failure would fail the instance, and with
    /// it every later charge and, worse, the mobilize a paying customer is owed. The caller tries again later.
    /// </remarks>
    private async Task<bool> VehicleCommandAsync(TaskOrchestrationContext context, CollectionInput input, PlanPosition position, string method)
    {
        try
        {
            await context.CallActivityAsync(SendVehicleCommandActivity.Name,
                new VehicleCommandRequest(input.TenantId, position.VehicleId, input.PlanId, method, context.NewGuid().ToString("N")), _activityRetry);
            return true;
        }
        catch (TaskFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Mobilizes, then closes an operator's immobilization on the plan, so that the plan stops reading as immobilized
    /// and a later default is handled afresh.
    /// </summary>
    /// <returns>false when the vehicle did not take the mobilize (the immobilization stays open).</returns>
    private async Task<bool> MobilizeAsync(TaskOrchestrationContext context, CollectionInput input, PlanPosition position)
    {
        if (!await VehicleCommandAsync(context, input, position, SendVehicleCommandActivity.Mobilize))
        {
            return false;
        }

        if (position.ImmobilizedByOperator)
        {
            await context.CallActivityAsync<bool>(ReleaseImmobilizationActivity.Name, new PlanRef(input.TenantId, input.PlanId, context.UtcNow()), _activityRetry);
        }

        return true;
    }

    /// <summary>The arrears are paid but the vehicle did not take the mobilize: the next execution sends it again, still owing it.</summary>
    private async Task<CollectionResult> MobilizeLaterAsync(TaskOrchestrationContext context, CollectionInput input)
    {
        context.SetCustomStatus(new { stage = "mobilizing", immobilized = true });
        await WaitForPaymentAsync(context, context.UtcNow() + options.Value.StationaryRecheckInterval);
        context.ContinueAsNew(input with { Immobilized = true });
        return new CollectionResult(CollectionOutcome.ContinuedAsNew, input.PlanId);
    }
}
