using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Credit;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.RentToOwn.Plans;

/// <summary>
/// Rent-to-own plans and credit. Customers act only on their own plans (token subject = customer id);
/// another customer's or another tenant's plan is a 404, never a 403, so ids cannot be probed.
/// </summary>
public static class PlanEndpoints
{
    public static void MapRentToOwn(this IEndpointRouteBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Rent-to-own plans");
        api.MapPost("/plans", OpenPlanEndpoint.CreateAsync).WithTags("Rent-to-own plans").WithName("CreatePlan").RequireRoles(PlatformRoles.Agent, PlatformRoles.Admin);
        // Operators read plans (status, arrears, grace period): the immobilization they decide on is judged from the
        // plan. They change nothing on it but the immobilization, so payments and documents stay with agents.
        plans.MapGet("/{id}", GetAsync).WithName("GetPlan").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Operator, PlatformRoles.Admin);
        plans.MapGet("/{id}/statement", StatementAsync).WithName("GetPlanStatement")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Operator, PlatformRoles.Admin);
        plans.MapPost("/{id}/statement-documents", IssuePlanStatementDocument.IssueAsync).WithName("IssuePlanStatementDocument")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
        plans.MapPost("/{id}/payments", RecordPlanPaymentEndpoint.PayAsync).WithName("RecordPlanPayment").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);

        // A safety decision: operators and admins only (not the field agents who collect), audited with its reason.
        plans.MapPost("/{id}/immobilization", ImmobilizePlanEndpoint.ImmobilizeAsync).WithName("ImmobilizePlanVehicle")
            .RequireRoles(PlatformRoles.Operator, PlatformRoles.Admin)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/credit/assessments", AssessCreditEndpoint.AssessAsync).WithTags("Rent-to-own credit").WithName("AssessCredit")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
    }

    public static async Task<Ok<PlanSummary>> GetAsync(string id, HttpContext http, IPaymentPlanStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var plan = await LoadVisibleAsync(id, http, store, cancellationToken, operatorsMayRead: true);
        return TypedResults.Ok(plan.Summarize(time.GetUtcNow()));
    }

    public static async Task<Ok<PlanStatement>> StatementAsync(string id, HttpContext http, IPaymentPlanStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var plan = await LoadVisibleAsync(id, http, store, cancellationToken, operatorsMayRead: true);
        return TypedResults.Ok(plan.Statement(time.GetUtcNow()));
    }

    /// <summary>The plan if the caller may see it: staff of its tenant, or the customer it belongs to; anyone else gets a 404.</summary>
    /// <param name="operatorsMayRead">
    /// Only the read routes count operators as staff: a session with both the customer and the operator role must not pay
    /// or issue documents on other customers' plans through its operator role.
    /// </param>
    internal static async Task<PaymentPlan> LoadVisibleAsync(string id, HttpContext http, IPaymentPlanStore store, CancellationToken cancellationToken, bool operatorsMayRead = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        var user = CurrentUser.FromPrincipal(http.User);
        var plan = await store.GetAsync(user.TenantId, id, cancellationToken);
        var isStaff = user.IsInRole(PlatformRoles.Agent) || user.IsInRole(PlatformRoles.Admin) || (operatorsMayRead && user.IsInRole(PlatformRoles.Operator));
        if (plan is null || (!isStaff && !string.Equals(plan.CustomerId, user.Subject, StringComparison.Ordinal)))
        {
            throw new ResourceNotFoundException("Plan", id);
        }

        return plan;
    }
}
