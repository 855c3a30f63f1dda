using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Credit;
using ServerlessMobility.RentToOwn.Customers;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using IVehicleRegistry = ServerlessMobility.Platform.Vehicles.IVehicleRegistry;
using VinFormat = ServerlessMobility.Platform.Vehicles.VinFormat;

namespace ServerlessMobility.RentToOwn.Plans;

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
    bool AllowsImmobilization = true);

/// <param name="Amount">Positive, in the plan currency's minor units.</param>
public sealed record RecordPaymentRequest(
    [property: StringLength(PlanEndpoints.MaxProviderReferenceLength), RegularExpression(InputFormats.Text)] string ProviderReference,
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

/// <param name="RiskEvents">Telematics signals; taken from agents and admins only until the telemetry slice provides a reader.</param>
public sealed record CreditApplicationRequest(
    string? CustomerId,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency,
    decimal MonthlyIncome,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal VehiclePrice,
    [property: Range(0, double.MaxValue)] decimal Deposit,
    [property: Range(0, PlanTerms.MaxFinanceChargeRate)] decimal FinanceChargeRate,
    PaymentFrequency Frequency,
    [property: Range(PlanTerms.MinInstalments, PlanTerms.MaxInstalments)] int NumberOfInstalments,
    int MonthsInCurrentOccupation,
    IReadOnlyList<RiskEvent>? RiskEvents = null);

/// <summary>
/// Rent-to-own plans and credit. Customers act only on their own plans (token subject = customer id);
/// another customer's or another tenant's plan is a 404, never a 403, so ids cannot be probed.
/// </summary>
public static class PlanEndpoints
{
    public const int MaxProviderReferenceLength = 100;

    public static void MapRentToOwn(this IEndpointRouteBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Rent-to-own plans");
        api.MapPost("/plans", CreateAsync).WithTags("Rent-to-own plans").WithName("CreatePlan").RequireRoles(PlatformRoles.Agent, PlatformRoles.Admin);
        plans.MapGet("/{id}", GetAsync).WithName("GetPlan").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
        plans.MapGet("/{id}/statement", StatementAsync).WithName("GetPlanStatement").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
        plans.MapPost("/{id}/statement-documents", IssuePlanStatementDocument.IssueAsync).WithName("IssuePlanStatementDocument")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
        plans.MapPost("/{id}/payments", PayAsync).WithName("RecordPlanPayment").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);

        api.MapPost("/credit/assessments", AssessAsync).WithTags("Rent-to-own credit").WithName("AssessCredit")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
    }

    /// <summary>
    /// Opens a plan for a customer of the caller's tenant on a vehicle registered to it. Both are looked
    /// up in the caller's tenant only, so another tenant's customer or vehicle is a 404, exactly like one
    /// that does not exist: the collection flow later charges that customer and may send commands to
    /// that vehicle, so neither can come from another tenant.
    /// </summary>
    public static async Task<Created<PlanSummary>> CreateAsync(CreatePlanRequest request, HttpContext http, IPaymentPlanStore store,
        ICustomerStore customers, IVehicleRegistry vehicles, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(vehicles);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new Dictionary<string, string[]>();
        if (!InputFormats.IsText(request.CustomerId, CustomerEndpoints.MaxCustomerIdLength))
        {
            errors["customerId"] = [$"customerId is required (at most {CustomerEndpoints.MaxCustomerIdLength} characters)."];
        }

        if (!InputFormats.Matches(request.VehicleId?.Trim().ToUpperInvariant(), VinFormat.Pattern))
        {
            errors["vehicleId"] = [VinFormat.Description];
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        PlanTerms? terms = null;
        try
        {
            terms = ValidatedTerms(request.Currency, request.VehiclePrice, request.Deposit, request.FinanceChargeRate,
                request.Frequency, request.NumberOfInstalments, request.FirstDueDate, request.AllowsImmobilization);
        }
        catch (RequestValidationException invalid)
        {
            // One answer names every malformed field, the ids as well as the terms.
            foreach (var (field, messages) in invalid.Errors)
            {
                errors[field] = messages;
            }
        }

        if (errors.Count > 0 || terms is null)
        {
            throw new RequestValidationException(errors);
        }

        if (request.FirstDueDate < now)
        {
            // Collection starts with the plan: every instalment already due would be charged at once, without a reminder.
            throw RequestValidationException.For("firstDueDate", "The first due date must not be in the past.");
        }

        _ = await customers.GetAsync(user.TenantId, request.CustomerId, cancellationToken)
            ?? throw new ResourceNotFoundException("Customer", request.CustomerId);
        var vehicleId = request.VehicleId!.Trim().ToUpperInvariant();
        if (await vehicles.GetAsync(vehicleId, cancellationToken) is not { } vehicle || !string.Equals(vehicle.TenantId, user.TenantId, StringComparison.Ordinal))
        {
            throw new ResourceNotFoundException("Vehicle", request.VehicleId);
        }

        var plan = PaymentPlan.Create(Guid.NewGuid().ToString("N"), user.TenantId, request.CustomerId, vehicleId, terms, now);
        await store.CreateAsync(plan, cancellationToken);

        // Collection starts with the plan.
        var workflows = http.RequestServices.GetRequiredService<DurableTaskClient>();
        await workflows.StartOnceAsync(CollectionWorkflow.Name, CollectionWorkflow.InstanceIdFor(plan.TenantId, plan.Id), new CollectionInput(plan.TenantId, plan.Id), cancellationToken);

        return TypedResults.Created($"/api/plans/{plan.Id}", plan.Summarize(now));
    }

    public static async Task<Ok<PlanSummary>> GetAsync(string id, HttpContext http, IPaymentPlanStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var plan = await LoadVisibleAsync(id, http, store, cancellationToken);
        return TypedResults.Ok(plan.Summarize(time.GetUtcNow()));
    }

    public static async Task<Ok<PlanStatement>> StatementAsync(string id, HttpContext http, IPaymentPlanStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var plan = await LoadVisibleAsync(id, http, store, cancellationToken);
        return TypedResults.Ok(plan.Statement(time.GetUtcNow()));
    }

    public static async Task<Ok<PaymentReceipt>> PayAsync(string id, RecordPaymentRequest request, HttpContext http, IPaymentPlanStore store, PlanPayments payments, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(time);
        if (!InputFormats.IsText(request.ProviderReference, MaxProviderReferenceLength))
        {
            throw RequestValidationException.For("providerReference", $"providerReference is required (at most {MaxProviderReferenceLength} characters).");
        }

        if (request.Amount <= 0)
        {
            // The plan's currency decides the minor units; that check (a 422) needs the plan.
            throw RequestValidationException.For("amount", "A payment is positive.");
        }

        var plan = await LoadVisibleAsync(id, http, store, cancellationToken);
        var now = time.GetUtcNow();
        var result = await payments.RecordReportedAsync(plan.TenantId, plan.Id, request.ProviderReference, request.Amount, now, cancellationToken);
        var updated = await store.GetAsync(plan.TenantId, plan.Id, cancellationToken) ?? plan;
        return TypedResults.Ok(new PaymentReceipt(result, updated.Summarize(now)));
    }

    /// <summary>
    /// Scores an application. The KYC status and the payment history come from our own records, never from
    /// the request; a customer can only apply for themselves.
    /// </summary>
    public static async Task<Ok<CreditDecision>> AssessAsync(CreditApplicationRequest request, HttpContext http, IPaymentPlanStore store,
        IKycStatusReader kyc, ICustomerStore customers, Microsoft.Extensions.Options.IOptions<CreditPolicy> policy, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kyc);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var isStaff = user.IsInRole(PlatformRoles.Agent) || user.IsInRole(PlatformRoles.Admin);
        var customerId = isStaff ? request.CustomerId ?? user.Subject : user.Subject;
        if (isStaff && request.CustomerId is not null && await customers.GetAsync(user.TenantId, request.CustomerId, cancellationToken) is null)
        {
            // Staff assess customers of their own tenant only; another tenant's customer does not exist here.
            throw new ResourceNotFoundException("Customer", request.CustomerId);
        }
        var now = time.GetUtcNow();
        // An application is scored as if the plan started now; immobilization does not change the score.
        var terms = ValidatedTerms(request.Currency, request.VehiclePrice, request.Deposit, request.FinanceChargeRate,
            request.Frequency, request.NumberOfInstalments, now, allowsImmobilization: false);
        var monthly = request.Frequency switch
        {
            PaymentFrequency.Daily => terms.FinancedTotal / request.NumberOfInstalments * 365m / 12m,
            PaymentFrequency.Weekly => terms.FinancedTotal / request.NumberOfInstalments * 52m / 12m,
            _ => terms.FinancedTotal / request.NumberOfInstalments,
        };
        var termMonths = request.Frequency switch
        {
            PaymentFrequency.Daily => (int)Math.Ceiling(request.NumberOfInstalments / 30.4m),
            PaymentFrequency.Weekly => (int)Math.Ceiling(request.NumberOfInstalments * 12m / 52m),
            _ => request.NumberOfInstalments,
        };
        var history = (await store.ListForCustomerAsync(user.TenantId, customerId, cancellationToken))
            .Select(p =>
            {
                var due = p.Schedule.Count(i => i.DueDate <= now);
                var late = p.Positions(now).Count(i => i.State == InstalmentState.Overdue);
                return new PriorPlanRecord(p.Id, due, late, p.Status == PlanStatus.Defaulted, p.Status == PlanStatus.OwnershipTransferred);
            })
            .ToList();
        var application = new CreditApplication
        {
            CustomerId = customerId,
            KycStatus = await kyc.GetStatusAsync(user.TenantId, customerId, cancellationToken),
            MonthlyIncome = request.MonthlyIncome,
            MonthlyInstalment = Math.Round(monthly, 2, MidpointRounding.AwayFromZero),
            VehiclePrice = request.VehiclePrice,
            Deposit = request.Deposit,
            TermMonths = termMonths,
            MonthsInCurrentOccupation = request.MonthsInCurrentOccupation,
            PriorPlans = history,
            RiskEvents = isStaff ? request.RiskEvents ?? [] : [],
        };
        return TypedResults.Ok(new CreditScorecard(policy.Value).Assess(application, now));
    }

    /// <summary>The terms of a plan or of a credit application, refused with field errors before anything is looked up.</summary>
    private static PlanTerms ValidatedTerms(string currency, decimal vehiclePrice, decimal deposit, decimal financeChargeRate,
        PaymentFrequency frequency, int numberOfInstalments, DateTimeOffset firstDueDate, bool allowsImmobilization)
    {
        var terms = new PlanTerms
        {
            Currency = currency,
            VehiclePrice = vehiclePrice,
            Deposit = deposit,
            FinanceChargeRate = financeChargeRate,
            Frequency = frequency,
            NumberOfInstalments = numberOfInstalments,
            FirstDueDate = firstDueDate,
            AllowsImmobilization = allowsImmobilization,
        };
        terms.Validate();
        return terms;
    }

    internal static async Task<PaymentPlan> LoadVisibleAsync(string id, HttpContext http, IPaymentPlanStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        var user = CurrentUser.FromPrincipal(http.User);
        var plan = await store.GetAsync(user.TenantId, id, cancellationToken);
        var isStaff = user.IsInRole(PlatformRoles.Agent) || user.IsInRole(PlatformRoles.Admin);
        if (plan is null || (!isStaff && !string.Equals(plan.CustomerId, user.Subject, StringComparison.Ordinal)))
        {
            throw new ResourceNotFoundException("Plan", id);
        }

        return plan;
    }
}
