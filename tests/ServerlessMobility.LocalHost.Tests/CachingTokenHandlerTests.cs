using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Hosting.Authentication;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// The bearer scheme remembers valid tokens for a short time: never invalid ones, never past the time to live or the
/// token's expiry, and each request gets an identity of its own. A change of signing key stands for anything that would
/// make a remembered token invalid now.
/// </summary>
public class CachingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));
    private static readonly SymmetricSecurityKey OtherKey = new(RandomNumberGenerator.GetBytes(32));

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = "issuer",
        ValidAudience = "audience",
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
    };

    private static string Token(TimeSpan lifetime, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "issuer",
            Audience = "audience",
            Claims = new Dictionary<string, object> { ["sub"] = "user", ["tenant_id"] = "tenant-a" },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task RememberedToken_IsAcceptedUntilTheTimeToLive_ThenValidatedAgain()
    {
        var time = new ManualTime();
        var handler = new CachingJsonWebTokenHandler(TimeSpan.FromSeconds(30), 100, time);
        var token = Token(TimeSpan.FromHours(1));

        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(OtherKey))).IsValid);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(OtherKey))).IsValid);
    }

    [Fact]
    public async Task RememberedToken_IsNeverAcceptedPastItsExpiry()
    {
        var time = new ManualTime();
        var handler = new CachingJsonWebTokenHandler(TimeSpan.FromMinutes(10), 100, time);
        var token = Token(TimeSpan.FromSeconds(60));

        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(OtherKey))).IsValid);
    }

    [Fact]
    public async Task InvalidTokens_AreNotRemembered()
    {
        var handler = new CachingJsonWebTokenHandler(TimeSpan.FromSeconds(30), 100, new ManualTime());
        var forged = Token(TimeSpan.FromHours(1), OtherKey);

        Assert.False((await handler.ValidateTokenAsync(forged, Parameters(Key))).IsValid);
        Assert.False((await handler.ValidateTokenAsync("not-a-token", Parameters(Key))).IsValid);
        Assert.Equal(0, handler.Count);
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters(Key))).IsValid);
    }

    [Fact]
    public async Task EachValidation_GetsItsOwnIdentity()
    {
        var handler = new CachingJsonWebTokenHandler(TimeSpan.FromSeconds(30), 100, new ManualTime());
        var token = Token(TimeSpan.FromHours(1));

        var first = await handler.ValidateTokenAsync(token, Parameters(Key));
        first.ClaimsIdentity.AddClaim(new Claim("roles", "admin"));
        var second = await handler.ValidateTokenAsync(token, Parameters(Key));
        second.ClaimsIdentity.AddClaim(new Claim("roles", "fleet-manager"));
        var third = await handler.ValidateTokenAsync(token, Parameters(Key));

        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
        Assert.Equal("tenant-a", third.ClaimsIdentity.FindFirst("tenant_id")?.Value);
        Assert.Empty(third.ClaimsIdentity.FindAll("roles"));
    }

    [Fact]
    public async Task ZeroTimeToLive_RemembersNothing()
    {
        var handler = new CachingJsonWebTokenHandler(TimeSpan.Zero, 100, new ManualTime());

        Assert.True((await handler.ValidateTokenAsync(Token(TimeSpan.FromHours(1)), Parameters(Key))).IsValid);
        Assert.Equal(0, handler.Count);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
