using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Benchmarks;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Hosting.Authentication;

namespace ServerlessMobility.Http.Benchmarks;

/// <summary>
/// What the bearer scheme spends on one request's token, with the local host's Development validation parameters and a
/// dev token like the load scripts send: validating it every time (the library's handler, as before the cache) against
/// the platform's handler on a token it has seen (every request after a client's first). The baseline is the first.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob))]
public class TokenValidationBenchmarks
{
    private readonly JsonWebTokenHandler _everyTime = new() { MapInboundClaims = false };
    private readonly CachingJsonWebTokenHandler _cached = new(TimeSpan.FromSeconds(30), 10_000, TimeProvider.System) { MapInboundClaims = false };
    private TokenValidationParameters _parameters = null!;
    private string _token = null!;
    private JsonWebToken _read = null!;

    [GlobalSetup]
    public void Setup()
    {
        var key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "dev" };
        var auth = new AuthOptions();
        // The platform's own validation rules, with the Development signing key and algorithm.
        _parameters = AuthenticationSetup.TokenValidation(auth);
        _parameters.IssuerSigningKey = key;
        _parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        var now = DateTime.UtcNow;
        _token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = new Dictionary<string, object>
            {
                [PlatformClaims.Subject] = "load-user",
                [PlatformClaims.TenantId] = "load-tenant",
                [PlatformClaims.Roles] = new[] { "dealer-staff" },
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(8),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        _read = new JsonWebToken(_token);
    }

    [Benchmark(Baseline = true)]
    public async Task<bool> ValidateEveryTime() => (await _everyTime.ValidateTokenAsync(_token, _parameters)).IsValid;

    [Benchmark]
    public async Task<bool> ValidateRemembered() => (await _cached.ValidateTokenAsync(_token, _parameters)).IsValid;

    /// <summary>The tenant check the bearer scheme's TokenValidated event runs on every request, remembered or not.</summary>
    [Benchmark]
    public bool TenantClaimCheck() => TenantClaim.IsOneValidTenant(_read);
}
