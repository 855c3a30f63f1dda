using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Hosting.Authentication;

/// <summary>Signs Development tokens with a local key. Never registered outside Development.</summary>
public sealed class DevTokenIssuer
{
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;

    public DevTokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        var keyBytes = string.IsNullOrEmpty(_options.DevSigningKey)
            ? RandomNumberGenerator.GetBytes(32)
            : Encoding.UTF8.GetBytes(_options.DevSigningKey);
        if (keyBytes.Length < 32)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), ["Auth:DevSigningKey must be at least 32 bytes."]);
        }

        SigningKey = new SymmetricSecurityKey(keyBytes) { KeyId = "dev" };
    }

    public SymmetricSecurityKey SigningKey { get; }

    public string Issue(string subject, string tenantId, IEnumerable<string> roles)
    {
        var now = _time.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = subject,
            [PlatformClaims.TenantId] = tenantId,
            [PlatformClaims.Roles] = roles.ToArray(),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(_options.DevTokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
