using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ServerlessMobility.Platform.Security.Audit;

/// <summary>Admins verify their tenant's audit chain and read its records.</summary>
public static class AuditEndpoints
{
    public const int MaxTake = 1000;

    public static void MapAudit(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/audit").WithTags("Audit").RequireRoles(PlatformRoles.Admin);
        group.MapGet("/verify", VerifyAsync).WithName("VerifyAuditLedger");
        group.MapGet("/records", ReadAsync).WithName("ReadAuditRecords");
    }

    /// <summary>The tenant's chain, and that it still holds every head anchored in append-only storage.</summary>
    public static async Task<Ok<AuditVerification>> VerifyAsync(HttpContext http, AuditAnchoring anchoring, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(anchoring);
        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(await anchoring.VerifyChainAsync(user.TenantId, cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<AuditRecord>>> ReadAsync(HttpContext http, IAuditLedger ledger, [Range(0, long.MaxValue)] long? after, [Range(1, MaxTake)] int? take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(ledger);
        var count = take ?? 100;
        if (count is < 1 or > MaxTake)
        {
            throw Http.RequestValidationException.For("take", $"take is 1 to {MaxTake}.");
        }

        if (after < 0)
        {
            throw Http.RequestValidationException.For("after", "after is 0 or more.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(await ledger.ReadAsync(user.TenantId, after ?? 0, count, cancellationToken));
    }
}
