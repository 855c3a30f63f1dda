using System.Security.Claims;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Platform.Security;

/// <summary>
/// Who is calling, taken from the validated token only: the tenant never comes from a request body
/// or route, so a caller cannot reach another tenant's data by editing a URL.
/// </summary>
public sealed record CurrentUser(string Subject, string TenantId, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public static CurrentUser FromPrincipal(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var subject = principal.FindFirstValue(PlatformClaims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var tenants = principal.FindAll(PlatformClaims.TenantId).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        if (string.IsNullOrEmpty(subject) || tenants.Count == 0)
        {
            throw new ForbiddenException("The access token has no subject or tenant.");
        }

        // An array of tenants, or a tenant that could not be a storage key, is ambiguous: refuse it rather than pick one.
        var tenant = tenants[0];
        if (tenants.Count > 1 || !TenantIds.IsValid(tenant))
        {
            throw new ForbiddenException("The access token's tenant is not one tenant id of letters, digits, '.', '_' or '-' (at most 64).");
        }

        var roles = principal.FindAll(PlatformClaims.Roles).Concat(principal.FindAll(ClaimTypes.Role))
            .Select(c => c.Value)
            .ToHashSet(StringComparer.Ordinal);
        return new CurrentUser(subject, tenant, roles);
    }
}
