using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Customers;

namespace ServerlessMobility.RentToOwn.Plans;

// Opening a rent-to-own plan as one use case: the request, its validation, the handler and the endpoint.

/// <param name="VehicleId">The VIN of a vehicle registered to the caller's tenant.</param>
/// <param name="Deposit">At least 0 and below vehiclePrice; amounts are in the currency's minor units.</param>
/// <param name="FirstDueDate">UTC, not in the past.</param>
public sealed record CreatePlanRequest(
    [property: StringLength(CustomerEndpoints.MaxCustomerIdLength), RegularExpression(InputFormats.Text)] string CustomerId,
    [property: RegularExpression(VinFormat.Pattern)] string VehicleId,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal VehiclePrice,
    [property: Range(0, double.MaxValue)] decimal Deposit,
    [property: Range(0, PlanTerms.MaxFinanceChargeRate)] decimal FinanceChargeRate,
    PaymentFrequency Frequency,
    [property: Range(PlanTerms.MinInstalments, PlanTerms.MaxInstalments)] int NumberOfInstalments,
    DateTimeOffset FirstDueDate,
    bool AllowsImmobilization = true)
{
    public PlanTerms ToTerms() => new()
    {
        Currency = Currency,
        VehiclePrice = VehiclePrice,
        Deposit = Deposit,
        FinanceChargeRate = FinanceChargeRate,
        Frequency = Frequency,
        NumberOfInstalments = NumberOfInstalments,
        FirstDueDate = FirstDueDate,
        AllowsImmobilization = AllowsImmobilization,
    };

    /// <summary>VINs are compared upper-case and without surrounding spaces.</summary>
    public string NormalizedVehicleId => VehicleId?.Trim().ToUpperInvariant() ?? string.Empty;
}

/// <summary>The request's shape, judged before anything is looked up; one answer names every malformed field, the ids as well as the terms.</summary>
public sealed class OpenPlanValidator : AbstractValidator<CreatePlanRequest>
{
    public OpenPlanValidator()
    {
        RuleFor(r => r.CustomerId).Must(id => InputFormats.IsText(id, CustomerEndpoints.MaxCustomerIdLength))
            .WithMessage($"customerId is required (at most {CustomerEndpoints.MaxCustomerIdLength} characters).");
        RuleFor(r => r.NormalizedVehicleId).Must(vin => InputFormats.Matches(vin, VinFormat.Pattern)).OverridePropertyName("vehicleId")
            .WithMessage(VinFormat.Description);
        RuleFor(r => r).Custom((request, context) =>
        {
            foreach (var failure in PlanTermsValidator.Instance.Validate(request.ToTerms()).Errors)
            {
                context.AddFailure(failure);
            }
        });
    }
}

/// <summary>
/// Opens a plan for a customer of the tenant on a vehicle registered to it, and starts its collection. Both are
/// looked up in that tenant only, so another tenant's customer or vehicle is a 404 exactly like one that does not
/// exist: the collection later charges that customer and may send commands to that vehicle.
/// </summary>
public sealed class OpenPlanHandler(IPaymentPlanStore store, ICustomerStore customers, IVehicleRegistry vehicles, DurableTaskClient workflows, TimeProvider time)
{
    /// <param name="request">Already accepted by <see cref="OpenPlanValidator"/>.</param>
    public async Task<PlanSummary> HandleAsync(CreatePlanRequest request, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        if (request.FirstDueDate < now)
        {
            // Collection starts with the plan: every instalment already due would be charged at once, without a reminder.
            throw RequestValidationException.For("firstDueDate", "The first due date must not be in the past.");
        }

        var terms = request.ToTerms();
        terms.Validate();
        _ = await customers.GetAsync(tenantId, request.CustomerId, cancellationToken) ?? throw new ResourceNotFoundException("Customer", request.CustomerId);
        var vehicleId = request.NormalizedVehicleId;
        if (await vehicles.GetAsync(vehicleId, cancellationToken) is not { } vehicle || !string.Equals(vehicle.TenantId, tenantId, StringComparison.Ordinal))
        {
            throw new ResourceNotFoundException("Vehicle", request.VehicleId);
        }

        var plan = PaymentPlan.Create(Guid.NewGuid().ToString("N"), tenantId, request.CustomerId, vehicleId, terms, now);
        await store.CreateAsync(plan, cancellationToken);
        await workflows.StartOnceAsync(CollectionWorkflow.Name, CollectionWorkflow.InstanceIdFor(plan.TenantId, plan.Id), new CollectionInput(plan.TenantId, plan.Id), cancellationToken);
        return plan.Summarize(now);
    }
}

public static class OpenPlanEndpoint
{
    public static async Task<Created<PlanSummary>> CreateAsync(CreatePlanRequest request, HttpContext http, [FromServices] IValidator<CreatePlanRequest> validator,
        [FromServices] OpenPlanHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handler);
        validator.ValidateOrThrow(request);
        var summary = await handler.HandleAsync(request, CurrentUser.FromPrincipal(http.User).TenantId, cancellationToken);
        return TypedResults.Created($"/api/plans/{summary.Id}", summary);
    }
}
