using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace ServerlessMobility.Platform.Security;

public static class EndpointSecurityExtensions
{
    /// <summary>
    /// Allows the route to callers holding at least one of <paramref name="roles"/>. Every
    /// authenticated route declares its roles this way; the route table in docs/security.md is
    /// checked against this metadata.
    /// </summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Length == 0 || roles.Any(r => !PlatformRoles.All.Contains(r)))
        {
            throw new ArgumentException($"Roles must be a non-empty subset of {string.Join(", ", PlatformRoles.All)}.", nameof(roles));
        }

        return builder.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(',', roles) });
    }

    /// <summary>Any authenticated caller of the tenant, whatever the role.</summary>
    public static TBuilder RequireAnyRole<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRoles([.. PlatformRoles.All]);
}
