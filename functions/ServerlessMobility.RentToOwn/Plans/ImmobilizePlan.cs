using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Plans;

// An operator immobilizing a defaulted plan's vehicle as one use case (POST /api/plans/{id}/immobilization).

/// <param name="Reason">Why, in the operator's words: kept on the plan and in the audit trail.</param>
public sealed record ImmobilizePlanRequest(
    [property: StringLength(ImmobilizePlanValidator.MaxReasonLength, MinimumLength = ImmobilizePlanValidator.MinReasonLength), RegularExpression(InputFormats.Text)]
    string Reason);

/// <param name="AlreadyImmobilized">The plan was immobilized before this request: nothing was sent to the vehicle.</param>
public sealed record PlanImmobilizationView(string PlanId, string VehicleId, PlanImmobilization Immobilization, bool AlreadyImmobilized);

public sealed class ImmobilizePlanValidator : AbstractValidator<ImmobilizePlanRequest>
{
    public const int MinReasonLength = 10;
    public const int MaxReasonLength = 500;

    public ImmobilizePlanValidator()
    {
        // Spaces around the words are not a reason: the length counts what is left once they are trimmed.
        RuleFor(r => r.Reason).Must(reason => InputFormats.IsText(reason, MaxReasonLength) && reason.Trim().Length >= MinReasonLength)
            .WithMessage($"reason is required: why the vehicle is immobilized, {MinReasonLength} to {MaxReasonLength} characters on one line.");
    }
}

/// <summary>
/// Stops a defaulted plan's vehicle on a person's decision. The same safety rules as the collection workflow's
/// (<see cref="ManualImmobilizationRules"/>): the plan in default, a contract that allows it, and a fresh reading of the
/// vehicle standing still. The immobilization is recorded on the plan (under its ETag) before the command goes out,
/// so the workflow, woken by <see cref="CollectionWorkflow.PaymentReceivedEvent"/>, treats the vehicle as immobilized
/// and mobilizes it when the arrears are paid.
/// </summary>
/// <remarks>
/// Recording first means a vehicle is never stopped without the plan knowing: if the command does not get through the
/// record is withdrawn. A payment that lands while the command is on its way would let the workflow mobilize before the
/// immobilize arrives; the plan is read again after the command, and a plan no longer in default is mobilized here.
/// </remarks>
public sealed class ImmobilizePlanHandler(IPaymentPlanStore store, IVehicleStateReader vehicles, PlanVehicleCommands commands, DurableTaskClient workflows,
    IOptions<ManualImmobilizationOptions> options, TimeProvider time)
{
    /// <param name="request">Already accepted by <see cref="ImmobilizePlanValidator"/>.</param>
    /// <exception cref="ResourceNotFoundException">No such plan in <paramref name="user"/>'s tenant.</exception>
    /// <exception cref="BusinessRuleException">One of the rules refuses (the problem's <c>rule</c> says which).</exception>
    public async Task<PlanImmobilizationView> HandleAsync(CurrentUser user, string planId, ImmobilizePlanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var plan = await store.GetAsync(user.TenantId, planId, cancellationToken) ?? throw new ResourceNotFoundException("Plan", planId);
        if (plan.Immobilization is { IsOpen: true } existing)
        {
            return new PlanImmobilizationView(plan.Id, plan.VehicleId, existing, AlreadyImmobilized: true);
        }

        var reading = await vehicles.GetLatestAsync(plan.TenantId, plan.VehicleId, cancellationToken);
        var now = time.GetUtcNow();
        if (ManualImmobilizationRules.RefusalFor(plan.Status, plan.Terms.AllowsImmobilization, reading, now, options.Value.MaxReadingAge) is { } refusal)
        {
            throw new BusinessRuleException(refusal.Rule, refusal.Detail);
        }

        var wanted = new PlanImmobilization(user.Subject, now, request.Reason.Trim(), ManualImmobilizationRules.CommandIdFor(plan));
        var recorded = await store.UpdateAsync(plan.TenantId, plan.Id, p => p.RecordImmobilization(wanted), cancellationToken);
        if (recorded != wanted)
        {
            // A concurrent request (a double click) recorded it first and sends the command.
            return new PlanImmobilizationView(plan.Id, plan.VehicleId, recorded, AlreadyImmobilized: true);
        }

        try
        {
            await commands.SendAsync(new VehicleCommandRequest(plan.TenantId, plan.VehicleId, plan.Id, SendVehicleCommandActivity.Immobilize, wanted.CommandId),
                CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or Platform.Vehicles.VehicleCommandTimeoutException)
        {
            await store.UpdateAsync(plan.TenantId, plan.Id, p =>
            {
                p.WithdrawImmobilization(wanted.CommandId);
                return true;
            }, CancellationToken.None);
            throw new StatusProblemException(StatusCodes.Status503ServiceUnavailable, "Vehicle did not answer",
                $"The vehicle did not take the immobilize command ({e.Message}); nothing was recorded. Try again later.");
        }

        await workflows.RaiseIfRunningAsync(CollectionWorkflow.InstanceIdFor(plan.TenantId, plan.Id), CollectionWorkflow.PaymentReceivedEvent,
            new PaymentNotice("operator-immobilization", 0), CancellationToken.None);

        var after = await store.GetAsync(plan.TenantId, plan.Id, CancellationToken.None);
        if (after is not null && (after.Status != PlanStatus.Defaulted || !after.IsImmobilizedByOperator))
        {
            // Paid while the command was on its way: the workflow may have mobilized before it landed. A paying customer drives.
            await commands.SendAsync(new VehicleCommandRequest(plan.TenantId, plan.VehicleId, plan.Id, SendVehicleCommandActivity.Mobilize, wanted.CommandId + ":released"),
                CancellationToken.None);
            await store.UpdateAsync(plan.TenantId, plan.Id, p => p.ReleaseImmobilization(time.GetUtcNow()), CancellationToken.None);
            throw new ConflictException("The plan's arrears were paid while the vehicle was being immobilized: it was mobilized again.");
        }

        return new PlanImmobilizationView(plan.Id, plan.VehicleId, wanted, AlreadyImmobilized: false);
    }
}

public static class ImmobilizePlanEndpoint
{
    /// <summary>Operators and admins of the plan's tenant; another tenant's plan is a 404, as for every plan route.</summary>
    public static async Task<Ok<PlanImmobilizationView>> ImmobilizeAsync(string id, ImmobilizePlanRequest request, HttpContext http,
        [FromServices] IValidator<ImmobilizePlanRequest> validator, [FromServices] ImmobilizePlanHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handler);
        validator.ValidateOrThrow(request);
        return TypedResults.Ok(await handler.HandleAsync(CurrentUser.FromPrincipal(http.User), id, request, cancellationToken));
    }
}
