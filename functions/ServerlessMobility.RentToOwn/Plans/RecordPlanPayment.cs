using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Plans;

// A payment reported for a plan (by the customer's app or an agent) as one use case.

/// <param name="Amount">Positive, in the plan currency's minor units.</param>
public sealed record RecordPaymentRequest(
    [property: StringLength(RecordPlanPaymentValidator.MaxProviderReferenceLength), RegularExpression(InputFormats.Text)] string ProviderReference,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal Amount);

public sealed record PaymentReceipt(PaymentApplication Result, PlanSummary Plan)
{
    /// <summary>What happened, as the webhooks say it: <c>applied</c>, <c>duplicate</c> or <c>operatorTaskOpened</c> (money for a paid-off plan).</summary>
    public string Outcome => Result switch
    {
        PaymentApplication.Applied => "applied",
        PaymentApplication.Duplicate => "duplicate",
        _ => "operatorTaskOpened",
    };
}

public sealed class RecordPlanPaymentValidator : AbstractValidator<RecordPaymentRequest>
{
    public const int MaxProviderReferenceLength = 100;

    public RecordPlanPaymentValidator()
    {
        RuleFor(r => r.ProviderReference).Must(reference => InputFormats.IsText(reference, MaxProviderReferenceLength))
            .WithMessage($"providerReference is required (at most {MaxProviderReferenceLength} characters).");
        // The plan's currency decides the minor units; that check (a 422) needs the plan.
        RuleFor(r => r.Amount).GreaterThan(0).WithMessage("A payment is positive.");
    }
}

/// <summary>
/// Applies a reported payment to the plan. The provider reference makes it idempotent: the same payment reported
/// twice is applied once and answered <c>duplicate</c> the second time.
/// </summary>
public sealed class RecordPlanPaymentHandler(PlanPayments payments, IPaymentPlanStore store, TimeProvider time)
{
    /// <param name="plan">A plan the caller may act on.</param>
    /// <param name="request">Already accepted by <see cref="RecordPlanPaymentValidator"/>.</param>
    public async Task<PaymentReceipt> HandleAsync(PaymentPlan plan, RecordPaymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var result = await payments.RecordReportedAsync(plan.TenantId, plan.Id, request.ProviderReference, request.Amount, now, cancellationToken);
        var updated = await store.GetAsync(plan.TenantId, plan.Id, cancellationToken) ?? plan;
        return new PaymentReceipt(result, updated.Summarize(now));
    }
}

public static class RecordPlanPaymentEndpoint
{
    public static async Task<Ok<PaymentReceipt>> PayAsync(string id, RecordPaymentRequest request, HttpContext http, [FromServices] IValidator<RecordPaymentRequest> validator,
        [FromServices] IPaymentPlanStore store, [FromServices] RecordPlanPaymentHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        validator.ValidateOrThrow(request);
        var plan = await PlanEndpoints.LoadVisibleAsync(id, http, store, cancellationToken);
        return TypedResults.Ok(await handler.HandleAsync(plan, request, cancellationToken));
    }
}
