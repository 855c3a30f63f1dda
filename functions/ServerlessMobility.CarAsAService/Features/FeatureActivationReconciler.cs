using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Operations;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Features;

public sealed class FeatureReconcilerOptions
{
    public const string SectionName = "CarAsAService:Features:Reconciler";

    /// <summary>How often the local host sweeps (the Functions app's timer runs every five minutes).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Instances created this long ago or later are looked at: an activation ends within hours, a fixed duration within a year.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(400);
}

/// <summary>
/// Compensates feature activations whose workflow ended without finishing: terminated by an operator (Durable
/// runs no orchestrator code on terminate) or failed by an unhandled error. A sweep lists FeatureActivation
/// instances that are Terminated or Failed and, for each whose subscription is still open, does what the
/// workflow would have done:
/// <list type="bullet">
/// <item>Requested or Activating: void the hold (key <c>feature-void:{id}</c>, as the workflow's own
/// compensation), switch the feature off on the vehicle in case an activateFeature got through (an operator
/// task when the vehicle does not answer), move the subscription to Failed with the reason
/// (<c>workflow-terminated: {reason}</c> / <c>workflow-failed: {error}</c>), which frees the slot, then a
/// support case and a notice.</item>
/// <item>Active or Expiring: the feature is on and paid for, but nothing will switch it off at its end: an
/// operator task says so (the subscription is left as it is).</item>
/// </list>
/// Every step is idempotent, so two hosts sweeping at once, or a sweep repeated after a crash, do no harm; a
/// sweep that fails for one subscription goes on with the next and tries it again next time. Both hosts run
/// it: the local host as a background loop, the Functions app on a timer.
/// </summary>
public sealed partial class FeatureActivationReconciler(
    ITenantRepository<FeatureSubscription> subscriptions, ICardPayments payments, IVehicleCommandChannel vehicles, ISupportDesk desk,
    ICustomerNotifier notifier, OperatorTasks operatorTasks, IOptions<FeatureActivationOptions> activation, IOptions<FeatureReconcilerOptions> options,
    TimeProvider time, ILogger<FeatureActivationReconciler> logger)
{
    public const string OpenedBy = "feature-reconciler";

    /// <returns>How many subscriptions this sweep compensated or handed to operators.</returns>
    public async Task<int> SweepAsync(DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Terminated, OrchestrationRuntimeStatus.Failed],
            CreatedFrom = time.GetUtcNow() - options.Value.Lookback,
            FetchInputsAndOutputs = true,
        };
        var handled = 0;
        await foreach (var instance in workflows.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name != FeatureActivationWorkflow.Name)
            {
                continue;
            }

            try
            {
                if (await ReconcileAsync(instance, cancellationToken))
                {
                    handled++;
                }
            }
#pragma warning disable CA1031 // one subscription's failure must not stop the sweep; it is retried next time
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogFailed(logger, instance.InstanceId, ex);
            }
        }

        return handled;
    }

    /// <returns>true when the subscription was open and has been dealt with now.</returns>
    public async Task<bool> ReconcileAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!WorkflowInstanceIds.TryParse(instance.InstanceId, out var tenantId, out var flow, out var subscriptionId)
            || flow != FeatureSubscription.InstanceFlow)
        {
            return false;
        }

        var subscription = (await subscriptions.GetAsync(tenantId, subscriptionId, cancellationToken))?.Value;
        if (subscription is null || !subscription.IsOpen)
        {
            return false;
        }

        var reason = ReasonFor(instance);
        if (subscription.State is FeatureSubscriptionState.Active or FeatureSubscriptionState.Expiring)
        {
            var (_, opened) = await operatorTasks.OpenAsync(tenantId, OperatorTaskKinds.FeatureWorkflowEnded, subscription.Id, $"feature-subscription:{subscription.Id}",
                $"The activation workflow of {subscription.FeatureCode} on {subscription.Vin} ended ({reason}) while the subscription was {subscription.State}: nothing will switch it off at its end or bill it. Decide with the customer, then switch it off (deactivateFeature) and close the subscription.",
                null, null, OpenedBy, cancellationToken);
            return opened;
        }

        await ReleaseHoldAsync(subscription, cancellationToken);
        if (subscription.State == FeatureSubscriptionState.Activating)
        {
            await SwitchOffAsync(subscription, reason, cancellationToken);
        }

        var calendar = activation.Value.Calendar();
        await subscriptions.UpdateAsync(tenantId, subscriptionId, s => s.IsOpen && s.State is FeatureSubscriptionState.Requested or FeatureSubscriptionState.Activating
            ? s.MoveTo(FeatureSubscriptionState.Failed, time.GetUtcNow(), reason, calendar)
            : s, cancellationToken);
        await desk.OpenCaseAsync(new SupportCase($"{subscription.Id}.workflow-ended", tenantId, subscription.CustomerId, subscription.Vin,
            $"Feature {subscription.FeatureCode}: workflow-ended", $"The activation workflow ended before the feature was active ({reason}); the hold was released and nothing was charged."), cancellationToken);
        await notifier.NotifyAsync(new CustomerNotification(tenantId, subscription.CustomerId, FeatureActivationWorkflow.ActivationFailedNotice.Kind,
            FeatureActivationWorkflow.ActivationFailedNotice.Message, $"{subscription.Id}.{FeatureActivationWorkflow.ActivationFailedNotice.Kind}",
            new Dictionary<string, string> { ["feature"] = subscription.FeatureName }), cancellationToken);
        LogCompensated(logger, instance.InstanceId, reason);
        return true;
    }

    private static string ReasonFor(OrchestrationMetadata instance)
    {
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Terminated)
        {
            // The terminate reason is the instance's output (a JSON string, or nothing).
            var output = instance.SerializedOutput;
            var text = string.IsNullOrWhiteSpace(output) ? null : output.Trim().Trim('"');
            return "workflow-terminated: " + (string.IsNullOrWhiteSpace(text) ? "no reason given" : text);
        }

        return "workflow-failed: " + (instance.FailureDetails?.ErrorMessage ?? "unknown error");
    }

    /// <summary>
    /// Voids the hold with the workflow's own void key. A hold placed just before the termination may not be
    /// recorded yet: asking again with the purchase's authorization key returns that same hold (providers answer
    /// a repeated key with the first answer), which is then voided.
    /// </summary>
    private async Task ReleaseHoldAsync(FeatureSubscription subscription, CancellationToken cancellationToken)
    {
        var authorizationId = subscription.AuthorizationId;
        if (authorizationId is null)
        {
            var hold = await payments.AuthorizeAsync(FeatureHold.Authorization(subscription), cancellationToken);
            authorizationId = hold.Approved ? hold.AuthorizationId : null;
        }

        if (authorizationId is not null)
        {
            await payments.VoidAsync(authorizationId, FeatureHold.VoidKey(subscription.Id), cancellationToken);
        }
    }

    /// <summary>An activateFeature may have reached the vehicle before the end: switch it off, or leave that to a person.</summary>
    private async Task SwitchOffAsync(FeatureSubscription subscription, string reason, CancellationToken cancellationToken)
    {
        string? problem;
        try
        {
            var answer = await vehicles.InvokeAsync(subscription.Vin, FeatureActivationWorkflow.DeactivateMethod,
                FeatureCommands.Payload(subscription, FeatureActivationWorkflow.DeactivateMethod), activation.Value.VehicleResponseTimeout, cancellationToken);
            problem = answer.IsSuccess ? null : string.Create(CultureInfo.InvariantCulture, $"the vehicle answered deactivateFeature with {answer.Status}");
        }
        catch (VehicleCommandTimeoutException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            await operatorTasks.OpenAsync(subscription.TenantId, OperatorTaskKinds.DeactivateUnpaidFeature, subscription.Id, $"feature-subscription:{subscription.Id}",
                $"The activation of {subscription.FeatureCode} on {subscription.Vin} ended ({reason}) after activateFeature was sent, and {problem}. The vehicle may run the feature unpaid: switch it off (deactivateFeature).",
                null, null, OpenedBy, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compensating the ended feature activation {InstanceId} failed; the next sweep tries again")]
    private static partial void LogFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compensated the ended feature activation {InstanceId}: {Reason}")]
    private static partial void LogCompensated(ILogger logger, string instanceId, string reason);
}

/// <summary>The JSON a feature command carries to the vehicle; the command id lets the vehicle recognise a repeat.</summary>
public static class FeatureCommands
{
    public static string Payload(FeatureSubscription subscription, string method)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            commandId = $"{subscription.Id}:{method}",
            feature = subscription.FeatureCode,
            configuration = subscription.Configuration,
            until = subscription.EndsAt,
        });
    }
}
