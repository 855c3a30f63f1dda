namespace ServerlessMobility.Hosting.Authentication;

/// <summary>
/// Token validation. In Development tokens are issued by <c>POST /api/dev/token</c> and signed with
/// <see cref="DevSigningKey"/>; everywhere else they come from an OpenID Connect issuer (Entra ID).
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The OpenID Connect authority, for example https://login.microsoftonline.com/{tenant}/v2.0.</summary>
    public string? Authority { get; set; }

    /// <summary>Only a loopback test issuer may serve its metadata over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public string Issuer { get; set; } = "serverless-mobility-local";

    public string Audience { get; set; } = "api://serverless-mobility";

    /// <summary>
    /// The Development-only HMAC key (at least 32 characters). When empty a random key is made at
    /// start-up, so dev tokens stop working when the host restarts.
    /// </summary>
    public string? DevSigningKey { get; set; }

    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a token found valid is accepted again without validating it (never past its expiry); zero validates
    /// every request. Bounds how late a change of signing keys takes effect (<see cref="CachingJsonWebTokenHandler"/>).
    /// </summary>
    public TimeSpan ValidatedTokenCacheTime { get; set; } = TimeSpan.FromSeconds(30);
}
