using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Plans;
using ServerlessMobility.Platform.Vehicles;
using Microsoft.DurableTask;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.RentToOwn.Collection;

public sealed record PlanRef(string TenantId, string PlanId, DateTimeOffset AsOf);

/// <summary>What the workflow needs to decide, read at workflow time <see cref="PlanRef.AsOf"/>.</summary>
/// <param name="ImmobilizedByOperator">An operator immobilized the vehicle and no mobilize has released it: the workflow owes a mobilize once the arrears are paid.</param>
/// <param name="DueOnNextDate">What the customer must have paid by <paramref name="NextDueDate"/> on top of what they paid: the instalment, less any part paid ahead.</param>
public sealed record PlanPosition(
    PlanStatus Status,
    string CustomerId,
    string VehicleId,
    string Currency,
    decimal Outstanding,
    decimal Arrears,
    int? NextInstalmentNumber,
    DateTimeOffset? NextDueDate,
    bool AllowsImmobilization,
    decimal DueOnNextDate = 0,
    bool ImmobilizedByOperator = false);

public sealed class GetPlanPositionActivity(IPaymentPlanStore plans) : TaskActivity<PlanRef, PlanPosition>
{
    public const string Name = "RentToOwnGetPlanPosition";

    public override async Task<PlanPosition> RunAsync(TaskActivityContext context, PlanRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = await plans.GetAsync(input.TenantId, input.PlanId, CancellationToken.None)
            ?? throw new ResourceNotFoundException("Plan", input.PlanId);
        var next = plan.NextUnpaid();
        return new PlanPosition(plan.Status, plan.CustomerId, plan.VehicleId, plan.Currency, plan.Outstanding,
            plan.Arrears(input.AsOf), next?.Number, next?.DueDate, plan.Terms.AllowsImmobilization,
            next is null ? 0 : plan.Arrears(next.DueDate), plan.IsImmobilizedByOperator);
    }
}

public sealed record ChargeAttempt(string TenantId, string PlanId, string CustomerId, decimal Amount, string Currency, string AttemptKey, DateTimeOffset AsOf);

public sealed record ChargeOutcome(bool Succeeded, string? ProviderReference, string? FailureCode);

/// <summary>
/// Charges through the payment port and books a success on the plan. The attempt key is the gateway's
/// idempotency key and the provider reference is the plan's, so a re-run after a crash charges and books once.
/// A declined charge is a normal outcome (not an exception): the workflow's dunning schedule decides what next.
/// </summary>
/// <remarks>
/// If a webhook payment settled the plan between the workflow reading the arrears and the charge, the
/// charge would overpay: the money was taken, so it is not a failure, and an agent task asks for a refund.
/// A booked payment's receipt is issued and sent here, in the activity: its document and message ids come from the
/// plan and the provider reference, so a re-run returns the same receipt and sends nothing twice.
/// </remarks>
public sealed class ChargeInstalmentActivity(IMobileMoneyGateway gateway, PlanPayments payments, IAgentTaskQueue agentTasks, PlanDocuments documents)
    : TaskActivity<ChargeAttempt, ChargeOutcome>
{
    public const string Name = "RentToOwnChargeInstalment";

    public override async Task<ChargeOutcome> RunAsync(TaskActivityContext context, ChargeAttempt input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await gateway.ChargeAsync(
            new ChargeRequest(input.TenantId, input.PlanId, input.CustomerId, input.Amount, input.Currency, input.AttemptKey), CancellationToken.None);
        if (!result.Succeeded || result.ProviderReference is null)
        {
            return new ChargeOutcome(false, null, result.FailureCode ?? "declined");
        }

        try
        {
            await payments.RecordAsync(input.TenantId, input.PlanId, result.ProviderReference, input.Amount, input.AsOf, raiseEvent: false, CancellationToken.None);
        }
        catch (BusinessRuleException e) when (e.Rule == "payment-exceeds-balance")
        {
            await agentTasks.OpenAsync(new AgentTask($"{input.PlanId}-refund-{result.ProviderReference}", input.TenantId, input.PlanId, string.Empty,
                $"Charge {result.ProviderReference} of {input.Amount} {input.Currency} exceeded the balance (paid meanwhile): refund it.", input.AsOf), CancellationToken.None);
            return new ChargeOutcome(true, result.ProviderReference, "refund-pending");
        }

        await documents.SendReceiptAsync(input.TenantId, input.PlanId, result.ProviderReference, CancellationToken.None);
        return new ChargeOutcome(true, result.ProviderReference, null);
    }
}

public sealed class NotifyCustomerActivity(IRentToOwnNotifier notifier) : TaskActivity<CustomerNotification, Unit>
{
    public const string Name = "RentToOwnNotifyCustomer";

    public override async Task<Unit> RunAsync(TaskActivityContext context, CustomerNotification input)
    {
        await notifier.SendAsync(input, CancellationToken.None);
        return Unit.Value;
    }
}

/// <summary>Flags the plan (and so its vehicle) as defaulted and opens one agent task per default.</summary>
public sealed class DeclareDefaultActivity(IPaymentPlanStore plans, IAgentTaskQueue agentTasks) : TaskActivity<PlanRef, bool>
{
    public const string Name = "RentToOwnDeclareDefault";

    /// <returns>false when the arrears were paid in the meantime and nothing was flagged.</returns>
    public override async Task<bool> RunAsync(TaskActivityContext context, PlanRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = await plans.UpdateAsync(input.TenantId, input.PlanId, plan =>
        {
            if (plan.Status == PlanStatus.Active && plan.Arrears(input.AsOf) > 0)
            {
                plan.MarkDefaulted(input.AsOf);
            }

            return plan;
        }, CancellationToken.None);
        if (plan.Status != PlanStatus.Defaulted)
        {
            return false;
        }

        var taskId = $"{plan.Id}-default-{plan.DefaultedAt!.Value.UtcDateTime:yyyyMMdd}";
        await agentTasks.OpenAsync(new AgentTask(taskId, plan.TenantId, plan.Id, plan.VehicleId,
            "Plan defaulted after the grace period: contact the customer, review repossession.", input.AsOf), CancellationToken.None);
        return true;
    }
}

public sealed record VehicleRef(string TenantId, string VehicleId);

public sealed class GetVehicleMotionActivity(IVehicleStateReader vehicles) : TaskActivity<VehicleRef, VehicleMotion?>
{
    public const string Name = "RentToOwnGetVehicleMotion";

    public override Task<VehicleMotion?> RunAsync(TaskActivityContext context, VehicleRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return vehicles.GetLatestAsync(input.TenantId, input.VehicleId, CancellationToken.None);
    }
}

/// <param name="CommandId">Made by the workflow (deterministically), so a retried send is recognisable as the same command.</param>
public sealed record VehicleCommandRequest(string TenantId, string VehicleId, string PlanId, string Method, string CommandId);

/// <summary>
/// Immobilize / mobilize for a plan's vehicle over the vehicle command port: one payload shape and one timeout for
/// the collection workflow and the operator's route alike. A refusal or timeout throws.
/// </summary>
public sealed class PlanVehicleCommands(IVehicleCommandChannel channel, IOptions<CollectionOptions> options)
{
    /// <exception cref="InvalidOperationException">The vehicle answered with a failure status.</exception>
    /// <exception cref="VehicleCommandTimeoutException">The vehicle did not answer in time.</exception>
    public async Task SendAsync(VehicleCommandRequest command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var payload = JsonSerializer.Serialize(new { reason = "rent-to-own", planId = command.PlanId, commandId = command.CommandId });
        var result = await channel.InvokeAsync(command.VehicleId, command.Method, payload, options.Value.VehicleCommandTimeout, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Vehicle refused '{command.Method}' with status {result.Status}.");
        }
    }
}

/// <summary>Sends immobilize / mobilize. A refusal or timeout throws, so the workflow's retry policy acts.</summary>
public sealed class SendVehicleCommandActivity(PlanVehicleCommands commands) : TaskActivity<VehicleCommandRequest, Unit>
{
    public const string Name = "RentToOwnSendVehicleCommand";
    public const string Immobilize = "immobilize";
    public const string Mobilize = "mobilize";

    public override async Task<Unit> RunAsync(TaskActivityContext context, VehicleCommandRequest input)
    {
        await commands.SendAsync(input, CancellationToken.None);
        return Unit.Value;
    }
}

/// <summary>Closes an operator's immobilization once the workflow has mobilized the vehicle (<see cref="PaymentPlan.ReleaseImmobilization"/>).</summary>
public sealed class ReleaseImmobilizationActivity(IPaymentPlanStore plans) : TaskActivity<PlanRef, bool>
{
    public const string Name = "RentToOwnReleaseImmobilization";

    public override Task<bool> RunAsync(TaskActivityContext context, PlanRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return plans.UpdateAsync(input.TenantId, input.PlanId, plan => plan.ReleaseImmobilization(input.AsOf), CancellationToken.None);
    }
}
