using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

public class RequestProtectionTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Probe(string Name, Nested? Child);

    private sealed record Nested(Nested? Child, int Depth = 0);

    private static void MapProbe(Microsoft.AspNetCore.Routing.RouteGroupBuilder api) =>
        api.MapPost("/probes", (Probe probe) => TypedResults.Ok(probe.Name)).RequireRoles(PlatformRoles.DealerStaff);

    [Fact]
    public async Task RateLimiter_OverTheLimit_Answers429WithRetryAfter()
    {
        await using var api = await TestApi.StartAsync(emulators, MapProbe, new Dictionary<string, string?> { ["RequestProtection:PermitsPerSubject"] = "3", ["RequestProtection:WindowSeconds"] = "60" });
        var token = await api.TokenAsync("busy-user", "dealer-a", "dealer-staff");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            using var request = TestApi.Request(HttpMethod.Get, "/api/me", token);
            last = await api.Client.SendAsync(request, Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        await HttpAssertions.AssertProblemAsync(last!, HttpStatusCode.TooManyRequests);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task RateLimiter_IsPerSubject_OtherCallersUnaffected()
    {
        await using var api = await TestApi.StartAsync(emulators, MapProbe, new Dictionary<string, string?> { ["RequestProtection:PermitsPerSubject"] = "1" });
        var first = await api.TokenAsync("user-1", "dealer-a", "dealer-staff");
        var second = await api.TokenAsync("user-2", "dealer-a", "dealer-staff");

        using (var request = TestApi.Request(HttpMethod.Get, "/api/me", first))
        {
            Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(request, Ct)).StatusCode);
        }

        using var other = TestApi.Request(HttpMethod.Get, "/api/me", second);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(other, Ct)).StatusCode);
    }

    [Fact]
    public async Task OversizedBody_Answers413ProblemDetails()
    {
        await using var api = await TestApi.StartAsync(emulators, MapProbe, new Dictionary<string, string?> { ["RequestProtection:MaxRequestBodyBytes"] = "2048" });
        var token = await api.TokenAsync("user-1", "dealer-a", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Post, "/api/probes", token);
        request.Content = new StringContent($$"""{"name":"{{new string('x', 4096)}}"}""", Encoding.UTF8, "application/json");
        var response = await api.Client.SendAsync(request, Ct);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task DeeplyNestedJson_Answers400ProblemDetails()
    {
        await using var api = await TestApi.StartAsync(emulators, MapProbe);
        var token = await api.TokenAsync("user-1", "dealer-a", "dealer-staff");
        static string Nest(int depth) => string.Concat(Enumerable.Repeat("{\"child\":", depth)) + "null" + new string('}', depth);

        using var shallow = TestApi.Request(HttpMethod.Post, "/api/probes", token);
        shallow.Content = new StringContent($$"""{"name":"shallow","child":{{Nest(5)}}}""", Encoding.UTF8, "application/json");
        using var deep = TestApi.Request(HttpMethod.Post, "/api/probes", token);
        deep.Content = new StringContent($$"""{"name":"deep","child":{{Nest(64)}}}""", Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(shallow, Ct)).StatusCode);
        await HttpAssertions.AssertProblemAsync(await api.Client.SendAsync(deep, Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongContentType_Answers415ProblemDetails()
    {
        await using var api = await TestApi.StartAsync(emulators, MapProbe);
        var token = await api.TokenAsync("user-1", "dealer-a", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Post, "/api/probes", token);
        request.Content = new StringContent("name=probe", Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await api.Client.SendAsync(request, Ct);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task WrongRole_Answers403ProblemDetails()
    {
        await using var api = await TestApi.StartAsync(emulators, MapProbe);
        var token = await api.TokenAsync("cust-1", "dealer-a", "customer");

        using var request = TestApi.Request(HttpMethod.Post, "/api/probes", token, new { name = "x" });
        var response = await api.Client.SendAsync(request, Ct);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
