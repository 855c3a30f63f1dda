using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ServerlessMobility.Testing;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>A person the provider signs in: the claims the platform reads from an access token (docs/security.md).</summary>
public sealed record ProviderUser(string Subject, string Name, string TenantId, string[] Roles);

/// <summary>
/// A small OpenID Connect provider on a free loopback port, shaped like Entra ID's v2.0 endpoint (authority
/// <c>/{tenant}/v2.0</c>, RS256 tokens, app roles in <c>roles</c>): discovery, keys, an authorize endpoint that answers
/// at once for the user the test chose (no login form), a token endpoint that redeems a code once and only with the
/// PKCE verifier of its challenge, userinfo and end-session. The browser calls it from the console's origin, so it
/// answers CORS as Entra does for a single-page application's redirect URI. A new RSA key every run.
/// </summary>
public sealed class LoopbackOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "console-client";
    public const string Audience = "api://serverless-mobility";
    public const string ApiScope = Audience + "/user_impersonation";

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProviderUser> _accessTokens = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private LoopbackOpenIdProvider(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Authority => new Uri(BaseAddress, "tenant-a/v2.0").ToString();

    /// <summary>Who the next authorize request signs in.</summary>
    public ProviderUser? NextUser { get; set; }

    /// <summary>When set, the next authorize request is refused with this OAuth error (access_denied: the user declined).</summary>
    public string? NextError { get; set; }

    /// <summary>The query strings the authorize endpoint was called with, in order.</summary>
    public ConcurrentQueue<IQueryCollection> AuthorizeRequests { get; } = new();

    /// <summary>Codes redeemed with a verifier that matched their challenge.</summary>
    public int CodesRedeemed => _redeemed;

    /// <summary>Token requests refused (unknown or reused code, wrong client, redirect or verifier), with why.</summary>
    public ConcurrentQueue<string> RefusedTokenRequests { get; } = new();

    public int SignOuts => _signOuts;

    private int _redeemed;
    private int _signOuts;

    public static async Task<LoopbackOpenIdProvider> StartAsync()
    {
        var port = FreeTcpPort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new LoopbackOpenIdProvider(app, new Uri($"http://127.0.0.1:{port}/"));
        provider.Map();
        await app.StartAsync();
        return provider;
    }

    /// <summary>An access token as the token endpoint issues it, for calls the test makes itself.</summary>
    public string AccessToken(ProviderUser user) => Sign(AccessTokenClaims(user));

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            context.Response.Headers.AccessControlAllowOrigin = "*";
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.Headers.AccessControlAllowHeaders = "authorization, content-type";
                context.Response.Headers.AccessControlAllowMethods = "GET, POST";
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            await next(context);
        });

        _app.MapGet("/tenant-a/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Url("tenant-a/oauth2/v2.0/authorize"),
            ["token_endpoint"] = Url("tenant-a/oauth2/v2.0/token"),
            ["userinfo_endpoint"] = Url("oidc/userinfo"),
            ["end_session_endpoint"] = Url("tenant-a/oauth2/v2.0/logout"),
            ["jwks_uri"] = Url("tenant-a/discovery/v2.0/keys"),
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
        }));

        _app.MapGet("/tenant-a/discovery/v2.0/keys", () =>
        {
            var parameters = _key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = _keyId, alg = "RS256", n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) } } });
        });

        _app.MapGet("/tenant-a/oauth2/v2.0/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            AuthorizeRequests.Enqueue(query);
            var redirect = query["redirect_uri"].ToString();
            var state = query["state"].ToString();
            if (query["client_id"] != ClientId || !redirect.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
            {
                return Results.BadRequest("Unknown client or redirect URI.");
            }

            if (NextError is { } error)
            {
                NextError = null;
                return Results.Redirect($"{redirect}?error={Uri.EscapeDataString(error)}&error_description={Uri.EscapeDataString("The user declined to sign in.")}&state={Uri.EscapeDataString(state)}");
            }

            if (query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
            {
                return Results.Redirect($"{redirect}?error=invalid_request&error_description={Uri.EscapeDataString("Authorization code with PKCE (S256) only.")}&state={Uri.EscapeDataString(state)}");
            }

            var user = NextUser ?? throw new InvalidOperationException("The test chose no user to sign in.");
            var code = Base64Url(RandomNumberGenerator.GetBytes(32));
            _codes[code] = new PendingCode(user, redirect, query["code_challenge"].ToString(), query["nonce"].ToString() is { Length: > 0 } nonce ? nonce : null);
            return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(state)}");
        });

        _app.MapPost("/tenant-a/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var code = form["code"].ToString();
            if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(code, out var pending))
            {
                return Refuse("an unknown, reused or missing code");
            }

            if (form["client_id"] != ClientId || form["redirect_uri"] != pending.RedirectUri)
            {
                return Refuse("another client or redirect URI than the code's");
            }

            var verifier = form["code_verifier"].ToString();
            if (verifier.Length == 0 || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != pending.CodeChallenge)
            {
                return Refuse("a code_verifier that does not match the code_challenge");
            }

            Interlocked.Increment(ref _redeemed);
            var accessToken = AccessToken(pending.User);
            _accessTokens[accessToken] = pending.User;
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var idClaims = new Dictionary<string, object>
            {
                ["iss"] = Authority, ["aud"] = ClientId, ["sub"] = pending.User.Subject, ["name"] = pending.User.Name,
                ["tid"] = "tenant-a", ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
            };
            if (pending.Nonce is not null)
            {
                idClaims["nonce"] = pending.Nonce;
            }

            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["scope"] = ApiScope,
                ["expires_in"] = 3600,
                ["access_token"] = accessToken,
                ["id_token"] = Sign(idClaims),
            });
        });

        _app.MapGet("/oidc/userinfo", (HttpRequest request) =>
        {
            var bearer = request.Headers.Authorization.ToString();
            return bearer.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.TryGetValue(bearer["Bearer ".Length..], out var user)
                ? Results.Json(new { sub = user.Subject, name = user.Name })
                : Results.Unauthorized();
        });

        _app.MapGet("/tenant-a/oauth2/v2.0/logout", (HttpRequest request) =>
        {
            Interlocked.Increment(ref _signOuts);
            var back = request.Query["post_logout_redirect_uri"].ToString();
            return back.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)
                ? Results.Redirect($"{back}?state={Uri.EscapeDataString(request.Query["state"].ToString())}")
                : Results.Text("Signed out.");
        });
    }

    private IResult Refuse(string why)
    {
        RefusedTokenRequests.Enqueue(why);
        return Results.Json(new { error = "invalid_grant", error_description = "Refused: " + why }, statusCode: StatusCodes.Status400BadRequest);
    }

    private Dictionary<string, object> AccessTokenClaims(ProviderUser user)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = Authority, ["aud"] = Audience, ["sub"] = user.Subject, ["name"] = user.Name, ["azp"] = ClientId,
            ["scp"] = "user_impersonation", ["tenant_id"] = user.TenantId, ["roles"] = user.Roles,
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
        };
    }

    private string Url(string path) => new Uri(BaseAddress, path).ToString();

    private string Sign(Dictionary<string, object> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["kid"] = _keyId, ["typ"] = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record PendingCode(ProviderUser User, string RedirectUri, string CodeChallenge, string? Nonce);
}
