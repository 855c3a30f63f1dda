using System.Net;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>Tokens that must never get in.</summary>
public class TokenValidationTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sign(string key, string audience = "api://serverless-mobility", DateTime? expires = null, string issuer = "serverless-mobility-local")
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["tenant_id"] = "dealer-a", ["roles"] = new[] { "admin" } },
            IssuedAt = expiry.AddHours(-2),
            NotBefore = expiry.AddHours(-2),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static TheoryData<string, string> RejectedTokens => new()
    {
        { "alg none", Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + Base64Url("""{"sub":"mallory","tenant_id":"dealer-a","roles":["admin"],"iss":"serverless-mobility-local","aud":"api://serverless-mobility","exp":4102444800}""") + "." },
        { "wrong key", Sign("a-completely-different-signing-key-0123456789") },
        { "expired", Sign(LocalHostFactory.DevSigningKey, expires: DateTime.UtcNow.AddMinutes(-5)) },
        { "wrong audience", Sign(LocalHostFactory.DevSigningKey, audience: "api://someone-else") },
        { "wrong issuer", Sign(LocalHostFactory.DevSigningKey, issuer: "https://evil.example") },
        { "garbage", "not-a-token" },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task ProtectedRoute_RejectedToken_Answers401(string reason, string token)
    {
        await using var api = await TestApi.StartAsync(emulators);

        using var request = TestApi.Request(HttpMethod.Get, "/api/me", token);
        var response = await api.Client.SendAsync(request, Ct);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{reason}: {response.StatusCode}");
        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ProtectedRoute_CorrectlySignedToken_IsAccepted()
    {
        await using var api = await TestApi.StartAsync(emulators);

        using var request = TestApi.Request(HttpMethod.Get, "/api/me", Sign(LocalHostFactory.DevSigningKey));
        var response = await api.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
