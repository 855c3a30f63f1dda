using Microsoft.Extensions.Options;
using Microsoft.DurableTask;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.CarAsAService.Features;

public sealed class FeatureActivationOptions
{
    public const string SectionName = "CarAsAService:Features";

    /// <summary>How long one <c>activateFeature</c> / <c>deactivateFeature</c> call waits for the vehicle's answer.</summary>
    public TimeSpan VehicleResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts to reach the vehicle before giving up (the vehicle may be asleep or out of coverage for hours).</summary>
    public int CommandMaxAttempts { get; set; } = 8;

    public TimeSpan CommandFirstRetry { get; set; } = TimeSpan.FromMinutes(5);

    public double CommandBackoffCoefficient { get; set; } = 2;

    public TimeSpan CommandMaxRetryInterval { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Attempts of one round of releasing a hold; after a failed round the workflow waits <see cref="VoidRoundInterval"/> and tries again.</summary>
    public int VoidMaxAttempts { get; set; } = 5;

    public TimeSpan VoidFirstRetry { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan VoidRoundInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rounds of voiding before the workflow fails and leaves the hold to operators (the support case says so).</summary>
    public int VoidMaxRounds { get; set; } = 24;

    /// <summary>
    /// When a declined feature invoice is charged again, counted from the end of the billed month (the first
    /// attempt); after the last one the invoice is uncollectible and goes to a support case. See <see cref="RetrySchedule"/>.
    /// </summary>
    public string InvoiceRetrySchedule { get; set; } = "3.00:00:00,7.00:00:00,14.00:00:00";

    /// <summary>
    /// Empty (the production default): a month is a calendar month. Set (e.g. 00:00:20): a month is that fixed
    /// length, aligned to the Unix epoch, for billing periods, proration and OneMonth / TwelveMonths purchases,
    /// so tests and local demos see a month pass in seconds. See <see cref="FeatureCalendar"/>.
    /// </summary>
    public TimeSpan? MonthLength { get; set; }

    /// <summary>The calendar these options describe (validated at start, see <see cref="FeatureCalendar.IsValidMonthLength"/>).</summary>
    public FeatureCalendar Calendar() => new(MonthLength);

    internal RetryPolicy CommandRetry() => new(CommandMaxAttempts, CommandFirstRetry, CommandBackoffCoefficient, CommandMaxRetryInterval);

    internal RetryPolicy VoidRetry() => new(VoidMaxAttempts, VoidFirstRetry, 2, VoidRoundInterval);
}

public sealed record FeaturePurchaseRef(string TenantId, string SubscriptionId);

/// <summary>Raised by <c>POST /api/vehicles/{vin}/features/{code}/cancel</c>.</summary>
public sealed record CancelFeatureEvent(string RequestedBy);

public sealed record FeatureActivationResult(FeatureSubscriptionState State, string? Reason = null);

/// <summary>
/// One instance per purchase: hold the price, switch the feature on over the air, capture only after
/// the vehicle confirmed, and otherwise release the hold. The customer is never charged for a feature
/// that did not activate: capture is reachable only from a successful activation. Then it waits for
/// the end (a durable timer for fixed durations, the customer's cancellation for any) and switches
/// the feature off. Time comes only from the context.
/// </summary>
public sealed class FeatureActivationWorkflow(IOptions<FeatureActivationOptions> options) : TaskOrchestrator<FeaturePurchaseRef, FeatureActivationResult>
{
    public const string Name = "FeatureActivation";
    public const string CancelEvent = "CancelFeature";
    public const string ActivateMethod = "activateFeature";
    public const string DeactivateMethod = "deactivateFeature";

    private static readonly RetryPolicy StorageRetry = new(5, TimeSpan.FromSeconds(10), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5));

    public override async Task<FeatureActivationResult> RunAsync(TaskOrchestrationContext context, FeaturePurchaseRef input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = options.Value;

        context.SetCustomStatus(new { stage = "authorizing" });
        var authorization = await context.CallActivityAsync<CardAuthorization>(FeatureActivities.AuthorizePayment, input, StorageRetry.Retry());
        if (!authorization.Approved)
        {
            var reason = $"payment-declined: {authorization.DeclineReason}";
            await MoveAsync(context, input, FeatureSubscriptionState.Failed, reason);
            await NotifyAsync(context, input, "feature-payment-declined", "The payment for the feature was declined; nothing was charged and the feature was not activated.");
            context.SetCustomStatus(new { stage = "failed", reason });
            return new FeatureActivationResult(FeatureSubscriptionState.Failed, reason);
        }

        await MoveAsync(context, input, FeatureSubscriptionState.Activating, null, authorization.AuthorizationId);
        context.SetCustomStatus(new { stage = "activating" });
        try
        {
            await context.CallActivityAsync(FeatureActivities.SendVehicleCommand, new FeatureCommand(input.TenantId, input.SubscriptionId, ActivateMethod), settings.CommandRetry().Retry());
        }
        catch (TaskFailedException failure)
        {
            return await CompensateAsync(context, input, authorization.AuthorizationId!, failure.FailureDetails.ErrorMessage, settings);
        }

        // The vehicle confirmed: only now is the customer charged.
        await context.CallActivityAsync(FeatureActivities.SettlePayment, new FeatureSettlement(input.TenantId, input.SubscriptionId, authorization.AuthorizationId!), StorageRetry.Retry());
        var active = await MoveAsync(context, input, FeatureSubscriptionState.Active, null);
        await NotifyAsync(context, input, "feature-activated", $"{active.FeatureName} is active on your vehicle.");
        if (active.Duration == FeatureDuration.OpenEndedMonthly)
        {
            // Billing starts with the month of the activation, even when this step runs after that month has ended.
            await context.CallActivityAsync(FeatureActivities.StartBilling, new FeatureBillingStart(input.TenantId, active.CustomerId,
                active.ActivatedAt ?? context.UtcNow()), StorageRetry.Retry());
        }

        context.SetCustomStatus(new { stage = "active", endsAt = active.EndsAt });
        var cancelled = await WaitForEndAsync(context, active);

        var reasonForEnd = cancelled ? "cancelled-by-customer" : "duration-ended";
        await MoveAsync(context, input, FeatureSubscriptionState.Expiring, reasonForEnd);
        context.SetCustomStatus(new { stage = "deactivating", reason = reasonForEnd });
        try
        {
            await context.CallActivityAsync(FeatureActivities.SendVehicleCommand, new FeatureCommand(input.TenantId, input.SubscriptionId, DeactivateMethod), settings.CommandRetry().Retry());
        }
        catch (TaskFailedException failure)
        {
            // Billing already stopped at the end; the vehicle still runs the feature, so a person must follow up.
            await context.CallActivityAsync(FeatureActivities.OpenSupportCase,
                new FeatureSupportRequest(input.TenantId, input.SubscriptionId, "deactivation-failed", $"deactivateFeature failed after all retries: {failure.FailureDetails.ErrorMessage}"), StorageRetry.Retry());
        }

        var ended = cancelled ? FeatureSubscriptionState.Cancelled : FeatureSubscriptionState.Deactivated;
        await MoveAsync(context, input, ended, reasonForEnd);
        await NotifyAsync(context, input, cancelled ? "feature-cancelled" : "feature-expired", $"{active.FeatureName} has been switched off.");
        context.SetCustomStatus(new { stage = ended.ToString().ToLowerInvariant() });
        return new FeatureActivationResult(ended, reasonForEnd);
    }

    /// <returns>true when the customer cancelled, false when a fixed duration ran out.</returns>
    private static async Task<bool> WaitForEndAsync(TaskOrchestrationContext context, FeatureSubscription active)
    {
        if (active.EndsAt is not { } endsAt)
        {
            await context.WaitForExternalEvent<CancelFeatureEvent>(CancelEvent);
            return true;
        }

        // The feature the customer paid for stays on until the very end, even when the timer fires early.
        return (await context.WaitForExternalEventUntilAsync<CancelFeatureEvent>(CancelEvent, endsAt)).Received;
    }

    private static async Task<FeatureActivationResult> CompensateAsync(TaskOrchestrationContext context, FeaturePurchaseRef input, string authorizationId, string error, FeatureActivationOptions settings)
    {
        var reason = $"activation-failed: {error}";
        for (var round = 1; ; round++)
        {
            context.SetCustomStatus(new { stage = "voiding", round, reason });
            try
            {
                await context.CallActivityAsync(FeatureActivities.VoidPayment, new FeatureSettlement(input.TenantId, input.SubscriptionId, authorizationId), settings.VoidRetry().Retry());
                break;
            }
            catch (TaskFailedException voidFailure)
            {
                // Operators see the failing release in the custom status while the workflow keeps trying.
                context.SetCustomStatus(new { stage = "void-failing", round, lastError = voidFailure.FailureDetails.ErrorMessage, reason });
                if (round >= settings.VoidMaxRounds)
                {
                    await context.CallActivityAsync(FeatureActivities.OpenSupportCase,
                        new FeatureSupportRequest(input.TenantId, input.SubscriptionId, "void-failed", $"The payment hold {authorizationId} could not be released: {voidFailure.FailureDetails.ErrorMessage}"), StorageRetry.Retry());
                    throw;
                }

                await context.CreateTimer(context.UtcNow() + settings.VoidRoundInterval, CancellationToken.None);
            }
        }

        // An answer that came too late is dropped by the channel, yet the vehicle may have switched the feature on:
        // switch it off again (harmless when it never was on), or hand it to a person when the vehicle cannot be reached.
        context.SetCustomStatus(new { stage = "switching-off", reason });
        try
        {
            await context.CallActivityAsync(FeatureActivities.SendVehicleCommand, new FeatureCommand(input.TenantId, input.SubscriptionId, DeactivateMethod), settings.CommandRetry().Retry());
        }
        catch (TaskFailedException deactivateFailure)
        {
            await context.CallActivityAsync(FeatureActivities.OpenOperatorTask, new FeatureOperatorTaskRequest(input.TenantId, input.SubscriptionId,
                Platform.Operations.OperatorTaskKinds.DeactivateUnpaidFeature,
                $"activateFeature was never confirmed and the hold was released, but the vehicle may have applied it late; deactivateFeature failed after all retries: {deactivateFailure.FailureDetails.ErrorMessage}"),
                StorageRetry.Retry());
        }

        await MoveAsync(context, input, FeatureSubscriptionState.Failed, reason);
        await context.CallActivityAsync(FeatureActivities.OpenSupportCase, new FeatureSupportRequest(input.TenantId, input.SubscriptionId, "activation-failed", reason), StorageRetry.Retry());
        await NotifyAsync(context, input, ActivationFailedNotice.Kind, ActivationFailedNotice.Message);
        context.SetCustomStatus(new { stage = "failed", reason });
        return new FeatureActivationResult(FeatureSubscriptionState.Failed, reason);
    }

    private static Task<FeatureSubscription> MoveAsync(TaskOrchestrationContext context, FeaturePurchaseRef input, FeatureSubscriptionState state, string? reason, string? authorizationId = null) =>
        context.CallActivityAsync<FeatureSubscription>(FeatureActivities.RecordState,
            new FeatureStateUpdate(input.TenantId, input.SubscriptionId, state, context.UtcNow(), reason, authorizationId), StorageRetry.Retry());

    /// <summary>What the customer is told when an activation fails, by the workflow or by the reconciler after it ended.</summary>
    public static (string Kind, string Message) ActivationFailedNotice { get; } =
        ("feature-activation-failed", "We could not activate the feature on your vehicle. Nothing was charged; our support team will contact you.");

    private static Task NotifyAsync(TaskOrchestrationContext context, FeaturePurchaseRef input, string kind, string message) =>
        context.CallActivityAsync(FeatureActivities.NotifyCustomer, new FeatureNotice(input.TenantId, input.SubscriptionId, kind, message), StorageRetry.Retry());
}
