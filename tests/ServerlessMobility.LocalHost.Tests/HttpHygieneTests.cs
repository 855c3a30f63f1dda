using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// Issue 16, items 9, 10 and 12: rate limits per tenant and subject, the dev token endpoint's input checks,
/// ambiguous tenant claims, and 400s that speak the API's language (JSON paths and JSON types) rather than .NET's.
/// </summary>
public class HttpHygieneTests(PlatformEmulators emulators, HttpHygieneProbeApi probeApi) : IClassFixture<HttpHygieneProbeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Gadget(string Name, int Count, IReadOnlyList<string>? Tags, GadgetPart? Part);

    private sealed record GadgetPart(decimal Price, DateTimeOffset? At);

    internal static void MapGadgets(Microsoft.AspNetCore.Routing.RouteGroupBuilder api)
    {
        api.MapPost("/gadgets", (Gadget gadget) => TypedResults.Ok(gadget.Name)).RequireRoles(PlatformRoles.DealerStaff);
        api.MapGet("/gadgets", (int? top, DateTimeOffset? from) => TypedResults.Ok(top)).RequireRoles(PlatformRoles.DealerStaff);
    }

    /// <summary>Internals a problem-details document must never show a client.</summary>
    private static readonly string[] Internals = ["ServerlessMobility.", "System.", "Nullable", "BytePositionInLine", "LineNumber:", "Gadget", "Int32", "Failed to bind"];

    [Fact]
    public async Task RateLimiter_SameSubjectInAnotherTenant_HasItsOwnBudget()
    {
        await using var api = await TestApi.StartAsync(emulators, overrides: new Dictionary<string, string?> { ["RequestProtection:PermitsPerSubject"] = "1" });
        var inA = await api.TokenAsync("shared-subject", "dealer-a", "dealer-staff");
        var inB = await api.TokenAsync("shared-subject", "dealer-b", "dealer-staff");

        using var first = TestApi.Request(HttpMethod.Get, "/api/me", inA);
        using var firstResponse = await api.Client.SendAsync(first, Ct);
        using var other = TestApi.Request(HttpMethod.Get, "/api/me", inB);
        using var otherResponse = await api.Client.SendAsync(other, Ct);
        using var again = TestApi.Request(HttpMethod.Get, "/api/me", inA);
        using var againResponse = await api.Client.SendAsync(again, Ct);

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        await HttpAssertions.AssertProblemAsync(againResponse, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task DevToken_NonJsonBody_Answers415ProblemDetails()
    {
        var api = probeApi.Api;

        using var form = new StringContent("subject=x&tenantId=dealer-a", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await api.Client.PostAsync(new Uri("/api/dev/token", UriKind.Relative), form, Ct);
        using var text = new StringContent("{}", Encoding.UTF8, "text/plain");
        using var textResponse = await api.Client.PostAsync(new Uri("/api/dev/token", UriKind.Relative), text, Ct);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await HttpAssertions.AssertProblemAsync(textResponse, HttpStatusCode.UnsupportedMediaType);
    }

    public static TheoryData<string> BadTenants() => ["dealer\"a", "dealer/a", "dealer\0a", new string('t', 1000), " dealer-a", "-dealer", "dealer a", "dealer%2Fa"];

    [Theory]
    [MemberData(nameof(BadTenants))]
    public async Task DevToken_TenantThatIsNotATenantId_Answers400(string tenantId)
    {
        var api = probeApi.Api;

        using var response = await api.Client.PostAsJsonAsync("/api/dev/token", new { subject = "someone", tenantId, roles = new[] { "admin" } }, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("tenantId", out _), problem.GetRawText());
    }

    [Fact]
    public async Task DevToken_SubjectWithControlCharactersOrTooLong_Answers400()
    {
        var api = probeApi.Api;

        using var nul = await api.Client.PostAsJsonAsync("/api/dev/token", new { subject = "a\0b", tenantId = "dealer-a" }, Ct);
        using var longOne = await api.Client.PostAsJsonAsync("/api/dev/token", new { subject = new string('s', 1000), tenantId = "dealer-a" }, Ct);

        await HttpAssertions.AssertProblemAsync(nul, HttpStatusCode.BadRequest);
        await HttpAssertions.AssertProblemAsync(longOne, HttpStatusCode.BadRequest);
    }

    public static TheoryData<string, object> AmbiguousTenantClaims() => new()
    {
        { "an array of two tenants", new[] { "dealer-a", "dealer-b" } },
        { "an array of one tenant", new[] { "dealer-a" } },
        { "a tenant with '/'", "dealer/a" },
        { "1,000 characters", new string('t', 1000) },
    };

    /// <summary>
/// Item 12: CurrentUser already refused these (403) in handlers that ask it, but a handler that does not ask ran with
/// them, and a one-element array passed as one tenant. The token is now refused at authentication (401).
/// </summary>
    [Theory]
    [MemberData(nameof(AmbiguousTenantClaims))]
    public async Task Token_WhoseTenantIsNotOneTenantId_IsRefused(string reason, object tenant)
    {
        var api = probeApi.Api;
        var createdBefore = probeApi.ThingsCreated;
        var token = SignDevToken(new Dictionary<string, object> { ["sub"] = "mallory", ["tenant_id"] = tenant, ["roles"] = new[] { "dealer-staff" } });

        using var me = TestApi.Request(HttpMethod.Get, "/api/me", token);
        using var meResponse = await api.Client.SendAsync(me, Ct);
        using var write = TestApi.Request(HttpMethod.Post, "/api/things", token, new { });
        using var writeResponse = await api.Client.SendAsync(write, Ct);

        Assert.True(meResponse.StatusCode == HttpStatusCode.Unauthorized, $"{reason}: {meResponse.StatusCode}");
        await HttpAssertions.AssertProblemAsync(meResponse, HttpStatusCode.Unauthorized);
        await HttpAssertions.AssertProblemAsync(writeResponse, HttpStatusCode.Unauthorized);
        Assert.Equal(createdBefore, probeApi.ThingsCreated);
    }

    public static TheoryData<string, string, string> WrongBodies() => new()
    {
        { "a string for an integer", """{"name":"x","count":"many"}""", "$.count" },
        { "an object for an array", """{"name":"x","count":1,"tags":{"a":1}}""", "$.tags" },
        { "a number inside an array of strings", """{"name":"x","count":1,"tags":["a",2]}""", "$.tags[1]" },
        { "a string for a nested number", """{"name":"x","count":1,"part":{"price":"cheap"}}""", "$.part.price" },
        { "a bad date", """{"name":"x","count":1,"part":{"price":1,"at":"soon"}}""", "$.part.at" },
        { "an array for the body", """[1,2]""", "$" },
    };

    [Theory]
    [MemberData(nameof(WrongBodies))]
    public async Task WrongJsonTypes_Answer400InJsonTerms_WithTraceIdAndNoInternals(string reason, string body, string path)
    {
        var api = probeApi.Api;
        var token = await api.TokenAsync("staff-1", "dealer-a", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Post, "/api/gadgets", token);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await api.Client.SendAsync(request, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var text = problem.GetRawText();
        Assert.All(Internals, internals => Assert.DoesNotContain(internals, text, StringComparison.Ordinal));
        Assert.True(problem.GetProperty("errors").TryGetProperty(path, out var errors), $"{reason}: {text}");
        Assert.False(string.IsNullOrEmpty(errors[0].GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task BrokenJson_Answers400WithWhereInTheBody_NoInternals()
    {
        var api = probeApi.Api;
        var token = await api.TokenAsync("staff-1", "dealer-a", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Post, "/api/gadgets", token);
        request.Content = new StringContent("{\"name\": \"x\",\n \"count\": ", Encoding.UTF8, "application/json");
        using var response = await api.Client.SendAsync(request, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var text = problem.GetRawText();
        Assert.All(Internals, internals => Assert.DoesNotContain(internals, text, StringComparison.Ordinal));
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task UnparsableQueryValues_Answer400NamingTheParameterAndItsType_NoInternals()
    {
        var api = probeApi.Api;
        var token = await api.TokenAsync("staff-1", "dealer-a", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Get, "/api/gadgets?top=many", token);
        using var response = await api.Client.SendAsync(request, Ct);
        using var date = TestApi.Request(HttpMethod.Get, "/api/gadgets?from=yesterday", token);
        using var dateResponse = await api.Client.SendAsync(date, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.All(Internals, internals => Assert.DoesNotContain(internals, problem.GetRawText(), StringComparison.Ordinal));
        Assert.Contains("integer", problem.GetProperty("errors").GetProperty("top")[0].GetString(), StringComparison.Ordinal);
        var dateProblem = await HttpAssertions.AssertProblemAsync(dateResponse, HttpStatusCode.BadRequest);
        Assert.All(Internals, internals => Assert.DoesNotContain(internals, dateProblem.GetRawText(), StringComparison.Ordinal));
        Assert.Contains("date-time", dateProblem.GetProperty("errors").GetProperty("from")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealRoute_WrongBodyShape_DoesNotNameTheRequestType()
    {
        var api = probeApi.Api;
        var token = await api.TokenAsync("staff-1", "dealer-a", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Post, "/api/orders", token);
        request.Content = new StringContent("\"text\"", Encoding.UTF8, "application/json");
        using var response = await api.Client.SendAsync(request, Ct);
        using var packs = TestApi.Request(HttpMethod.Post, "/api/orders", token);
        packs.Content = new StringContent("""{"packs":"winter"}""", Encoding.UTF8, "application/json");
        using var packsResponse = await api.Client.SendAsync(packs, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("RegisterSaleRequest", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("object", problem.GetProperty("errors").GetProperty("$")[0].GetString(), StringComparison.Ordinal);
        var packsProblem = await HttpAssertions.AssertProblemAsync(packsResponse, HttpStatusCode.BadRequest);
        Assert.Contains("array", packsProblem.GetProperty("errors").GetProperty("$.packs")[0].GetString(), StringComparison.Ordinal);
    }

    private static string SignDevToken(Dictionary<string, object> claims)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "serverless-mobility-local",
            Audience = "api://serverless-mobility",
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LocalHostFactory.DevSigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
