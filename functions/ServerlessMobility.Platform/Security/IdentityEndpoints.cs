using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ServerlessMobility.Platform.Security;

/// <summary><c>GET /api/me</c>: who the token says the caller is; clients use it after sign-in.</summary>
public static class IdentityEndpoints
{
    public static void MapIdentity(this IEndpointRouteBuilder api)
    {
        api.MapGet("/me", GetMe).WithName("GetMe").WithTags("Identity").RequireAnyRole();
    }

    public static Ok<MeResponse> GetMe(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(new MeResponse(user.Subject, user.TenantId, [.. user.Roles.Order(StringComparer.Ordinal)]));
    }
}

public sealed record MeResponse(string Subject, string TenantId, IReadOnlyList<string> Roles);
