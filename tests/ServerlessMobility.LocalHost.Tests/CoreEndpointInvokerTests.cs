using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// The Azure Functions app runs core endpoints through <see cref="CoreEndpointInvoker"/> after the
/// Functions host has routed the request. These tests run the invoker here, on the same services,
/// and expect exactly what the local host answers.
/// </summary>
public class CoreEndpointInvokerTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Status, JsonElement? Body, string? ContentType)> InvokeAsync(TestApi api, string routeKey, string path, string? token = null)
    {
        await using var scope = api.App.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = routeKey.Split(' ')[0];
        http.Request.Path = path;
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        if (token is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + token;
        }

        using var body = new MemoryStream();
        http.Response.Body = body;
        await new CoreEndpointInvoker(api.App.Services).InvokeAsync(http, routeKey);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        return (http.Response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone(), http.Response.ContentType);
    }

    [Fact]
    public async Task InvokeAsync_ValidToken_RunsTheCoreHandler()
    {
        await using var api = await TestApi.StartAsync(emulators);
        var token = await api.TokenAsync("staff-9", "dealer-a", "dealer-staff");

        var (status, body, _) = await InvokeAsync(api, "GET /api/me", "/api/me", token);

        Assert.Equal(200, status);
        Assert.Equal("staff-9", body!.Value.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task InvokeAsync_NoToken_Answers401ProblemDetails_WrongRole403()
    {
        await using var api = await TestApi.StartAsync(emulators);
        var customer = await api.TokenAsync("cust-1", "dealer-a", "customer");

        var anonymous = await InvokeAsync(api, "GET /api/me", "/api/me");
        var wrongRole = await InvokeAsync(api, "GET /api/admin/audit/verify", "/api/admin/audit/verify", customer);

        Assert.Equal(401, anonymous.Status);
        Assert.Equal("application/problem+json", anonymous.ContentType);
        Assert.Equal(403, wrongRole.Status);
    }

    [Fact]
    public async Task RouteKeys_AreExactlyTheLocalHostsCoreRoutes()
    {
        await using var api = await TestApi.StartAsync(emulators);
        var localHostKeys = RouteSecurity.From(api.App.Services.GetRequiredService<EndpointDataSource>())
            .Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal))
            .Where(r => !r.Pattern.StartsWith("/api/dev/", StringComparison.Ordinal) && r.Pattern != "/api/openapi.json" && !r.Pattern.StartsWith("/api/docs", StringComparison.Ordinal))
            .Select(r => CoreEndpointInvoker.RouteKey(r.Method, r.Pattern))
            .Order(StringComparer.Ordinal);

        var invokerKeys = new CoreEndpointInvoker(api.App.Services).RouteKeys.Order(StringComparer.Ordinal);

        Assert.Equal(localHostKeys, invokerKeys);
    }

    [Fact]
    public async Task InvokeAsync_UnknownRouteKey_Throws()
    {
        await using var api = await TestApi.StartAsync(emulators);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => InvokeAsync(api, "GET /api/nowhere", "/api/nowhere"));
    }
}
