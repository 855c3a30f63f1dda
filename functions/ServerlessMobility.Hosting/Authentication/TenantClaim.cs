using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Hosting.Authentication;

/// <summary>
/// The token's own <c>tenant_id</c>, read from its JSON payload: claims made from a JSON array of one value look
/// exactly like claims made from one string, so only the payload tells them apart.
/// </summary>
public static class TenantClaim
{
    public static bool IsOneValidTenant(SecurityToken? token)
    {
        if (token is not JsonWebToken jwt)
        {
            return false;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
            return payload.RootElement.ValueKind == JsonValueKind.Object
                && payload.RootElement.TryGetProperty(PlatformClaims.TenantId, out var tenant)
                && tenant.ValueKind == JsonValueKind.String
                && TenantIds.IsValid(tenant.GetString());
        }
        catch (JsonException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
