using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ServerlessMobility.Platform.LiveUpdates.AzureSignalR;

/// <summary>
/// The HS256 JSON web tokens Azure SignalR Service accepts, signed with the connection string's access key: one per REST
/// call (its audience the URL called) and one per client (its audience the client URL, its user in <c>nameid</c>).
/// Written here because the kernel does not reference the JSON web token library (only the hosting layer does, to
/// issue dev tokens and validate callers' tokens).
/// </summary>
public static class AzureSignalRTokens
{
    /// <summary>The claim Azure SignalR Service reads a connection's user id from.</summary>
    public const string UserIdClaim = "nameid";

    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}""");

    public static string Create(string audience, DateTimeOffset issuedAt, DateTimeOffset expiresAt, string accessKey, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        ArgumentException.ThrowIfNullOrEmpty(accessKey);
        if (expiresAt <= issuedAt)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), expiresAt, "A token expires after it is issued.");
        }

        var payload = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
        };
        if (userId is not null)
        {
            payload[UserIdClaim] = userId;
        }

        var unsigned = $"{Base64Url(Header)}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), Encoding.ASCII.GetBytes(unsigned));
        return $"{unsigned}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
