using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Customers;
using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.RentToOwn.Credit;

// A credit assessment as one use case: the application, the handler that gathers our own records, the endpoint.

/// <param name="RiskEvents">Telematics signals; taken from agents and admins only.</param>
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
/// Scores an application. The KYC status and the payment history come from our own records, never from the
/// request; a customer can only apply for themselves, staff for customers of their own tenant.
/// </summary>
public sealed class AssessCreditHandler(IPaymentPlanStore store, IKycStatusReader kyc, ICustomerStore customers, IOptions<CreditPolicy> policy, TimeProvider time)
{
    public async Task<CreditDecision> HandleAsync(CreditApplicationRequest request, CurrentUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var isStaff = user.IsInRole(PlatformRoles.Agent) || user.IsInRole(PlatformRoles.Admin);
        var customerId = isStaff ? request.CustomerId ?? user.Subject : user.Subject;
        if (isStaff && request.CustomerId is not null && await customers.GetAsync(user.TenantId, request.CustomerId, cancellationToken) is null)
        {
            // Staff assess customers of their own tenant only; another tenant's customer does not exist here.
            throw new ResourceNotFoundException("Customer", request.CustomerId);
        }

        var now = time.GetUtcNow();
        // An application is scored as if the plan started now; immobilization does not change the score.
        var terms = new PlanTerms
        {
            Currency = request.Currency,
            VehiclePrice = request.VehiclePrice,
            Deposit = request.Deposit,
            FinanceChargeRate = request.FinanceChargeRate,
            Frequency = request.Frequency,
            NumberOfInstalments = request.NumberOfInstalments,
            FirstDueDate = now,
            AllowsImmobilization = false,
        };
        terms.Validate();
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
        return new CreditScorecard(policy.Value).Assess(application, now);
    }
}

public static class AssessCreditEndpoint
{
    public static async Task<Ok<CreditDecision>> AssessAsync(CreditApplicationRequest request, HttpContext http, [FromServices] AssessCreditHandler handler,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handler);
        return TypedResults.Ok(await handler.HandleAsync(request, CurrentUser.FromPrincipal(http.User), cancellationToken));
    }
}
