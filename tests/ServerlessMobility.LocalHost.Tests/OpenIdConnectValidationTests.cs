using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// Outside Development, tokens are validated against an OpenID Connect issuer's metadata and keys,
/// as Entra ID publishes them. A loopback stand-in issuer serves the discovery document and JWKS.
/// </summary>
public sealed class OpenIdConnectValidationTests(PlatformEmulators emulators) : IDisposable
{
    private const string Audience = "api://serverless-mobility";
    private readonly RSA _issuerKey = RSA.Create(2048);
    private readonly WireMockServer _issuer = WireMockServer.Start(new WireMock.Settings.WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreeTcpPort.Next()}"] });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Authority => _issuer.Url! + "/tenant-id/v2.0";

    public void Dispose()
    {
        _issuer.Stop();
        _issuer.Dispose();
        _issuerKey.Dispose();
    }

    private void ServeMetadata()
    {
        var parameters = _issuerKey.ExportParameters(false);
        _issuer.Given(Request.Create().WithPath("/tenant-id/v2.0/.well-known/openid-configuration").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { issuer = Authority, jwks_uri = _issuer.Url + "/tenant-id/discovery/v2.0/keys", id_token_signing_alg_values_supported = new[] { "RS256" } }));
        _issuer.Given(Request.Create().WithPath("/tenant-id/discovery/v2.0/keys").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", kid = "key-1", alg = "RS256", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            }));
    }

    private string Token(RSA key, string audience = Audience, string? issuer = null, string role = "dealer-staff") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer ?? Authority,
        Audience = audience,
        Claims = new Dictionary<string, object> { ["sub"] = "entra-user", ["tenant_id"] = "dealer-a", ["roles"] = new[] { role } },
        Expires = DateTime.UtcNow.AddMinutes(30),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "key-1" }, SecurityAlgorithms.RsaSha256),
    });

    private async Task<TestApi> StartProductionAsync()
    {
        ServeMetadata();
        return await TestApi.StartAsync(emulators, overrides: new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Auth:Authority"] = Authority,
            ["Auth:Issuer"] = Authority,
            ["Auth:Audience"] = Audience,
            ["Auth:RequireHttpsMetadata"] = "false",
        });
    }

    [Fact]
    public async Task TokenSignedByTheIssuer_IsAccepted()
    {
        await using var api = await StartProductionAsync();

        using var request = TestApi.Request(HttpMethod.Get, "/api/me", Token(_issuerKey));
        var response = await api.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenSignedByAnotherKey_WrongAudience_OrIssuer_AreRejected()
    {
        await using var api = await StartProductionAsync();
        using var otherKey = RSA.Create(2048);

        foreach (var token in new[] { Token(otherKey), Token(_issuerKey, audience: "api://other"), Token(_issuerKey, issuer: "https://login.example/other/v2.0") })
        {
            using var request = TestApi.Request(HttpMethod.Get, "/api/me", token);
            var response = await api.Client.SendAsync(request, Ct);
            await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    /// <summary>The partner simulators' control API is Development-only: a valid operator token finds no route.</summary>
    [Fact]
    public async Task Production_SimulatorControlRoutes_AreNotFound()
    {
        await using var api = await StartProductionAsync();
        var token = Token(_issuerKey, role: "operator");

        using var me = await api.Client.SendAsync(TestApi.Request(HttpMethod.Get, "/api/me", token), Ct);
        using var list = await api.Client.SendAsync(TestApi.Request(HttpMethod.Get, "/api/dev/simulators", token), Ct);
        using var script = await api.Client.SendAsync(TestApi.Request(HttpMethod.Put, "/api/dev/simulators/payment-provider/scripts/order-1", token,
            new { outcomes = new[] { new { outcome = "decline" } } }), Ct);
        using var mode = await api.Client.SendAsync(TestApi.Request(HttpMethod.Put, "/api/dev/simulators/factory/mode", token, new { mode = "manual" }), Ct);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, mode.StatusCode);
    }

    [Fact]
    public async Task Production_DevTokenRoute_DoesNotIssueTokens()
    {
        await using var api = await StartProductionAsync();

        var response = await api.Client.PostAsync(new Uri("/api/dev/token", UriKind.Relative), new StringContent("""{"subject":"x","tenantId":"t","roles":["admin"]}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
