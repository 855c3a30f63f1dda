using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Hosting.Authentication;

/// <summary><c>POST /api/dev/token</c>: mapped only in Development.</summary>
public static class DevTokenEndpoints
{
    public const int MaxSubjectLength = 128;

    public static void MapDevTokens(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/dev/token", IssueToken)
            .WithName("IssueDevToken")
            .WithTags("Development")
            .AllowAnonymous();
    }

    public static Ok<DevTokenResponse> IssueToken(DevTokenRequest request, DevTokenIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(issuer);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Subject))
        {
            errors["subject"] = ["A subject is required."];
        }
        else if (!InputFormats.IsText(request.Subject, MaxSubjectLength))
        {
            errors["subject"] = [$"At most {MaxSubjectLength} characters, no control characters."];
        }

        if (string.IsNullOrWhiteSpace(request.TenantId))
        {
            errors["tenantId"] = ["A tenantId is required."];
        }
        else if (!TenantIds.IsValid(request.TenantId))
        {
            // The same rule every token's tenant is held to (TenantIds): the endpoint never mints a token the API would refuse.
            errors["tenantId"] = [$"Letters, digits, '.', '_' and '-', starting with a letter or digit, at most {TenantIds.MaxLength} characters."];
        }

        var roles = request.Roles ?? [];
        var unknown = roles.Where(r => !PlatformRoles.All.Contains(r)).ToArray();
        if (unknown.Length > 0)
        {
            errors["roles"] = [$"Unknown role(s): {string.Join(", ", unknown)}. Known roles: {string.Join(", ", PlatformRoles.All)}."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        return TypedResults.Ok(new DevTokenResponse(issuer.Issue(request.Subject!, request.TenantId!, roles), "Bearer"));
    }
}

/// <param name="Roles">Any of the platform's roles; none when not given.</param>
public sealed record DevTokenRequest(
    [property: Required, StringLength(DevTokenEndpoints.MaxSubjectLength), RegularExpression(InputFormats.Text)] string? Subject,
    [property: Required, StringLength(TenantIds.MaxLength), RegularExpression(TenantIds.Pattern)] string? TenantId,
    IReadOnlyList<string>? Roles = null);

public sealed record DevTokenResponse(string AccessToken, string TokenType);
