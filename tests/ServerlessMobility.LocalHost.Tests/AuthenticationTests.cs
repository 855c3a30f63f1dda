using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

public class AuthenticationTests(PlatformEmulators emulators, SharedLocalHost shared) : IClassFixture<SharedLocalHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProtectedRoute_NoToken_Returns401ProblemDetails()
    {
        using var client = shared.Factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative), Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("access token is required", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task DevToken_Development_IssuesTokenAcceptedByProtectedRoute()
    {
        using var client = shared.Factory.CreateClient();

        var tokenResponse = await client.PostAsJsonAsync("/api/dev/token", new { subject = "staff-1", tenantId = "dealer-a", roles = new[] { "dealer-staff" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = await me.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("staff-1", body.GetProperty("subject").GetString());
        Assert.Equal("dealer-a", body.GetProperty("tenantId").GetString());
        Assert.Equal(["dealer-staff"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ProtectedRoute_TamperedToken_Returns401()
    {
        using var client = shared.Factory.CreateClient();
        var tokenResponse = await client.PostAsJsonAsync("/api/dev/token", new { subject = "staff-1", tenantId = "dealer-a", roles = new[] { "dealer-staff" } }, Ct);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
        var parts = token.Split('.');
        var forgedPayload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("""{"sub":"staff-1","tenant_id":"dealer-b","roles":["admin"],"iss":"serverless-mobility-local","aud":"api://serverless-mobility","exp":4102444800}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{parts[0]}.{forgedPayload}.{parts[2]}");
        var response = await client.SendAsync(request, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid or expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevToken_MissingTenantAndUnknownRole_Returns400WithFieldErrors()
    {
        using var client = shared.Factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/dev/token", new { subject = "x", roles = new[] { "superuser" } }, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("tenantId", out _));
        Assert.Contains("superuser", errors.GetProperty("roles")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevToken_MalformedJson_Returns400ProblemDetails()
    {
        using var client = shared.Factory.CreateClient();

        using var content = new StringContent("{\"subject\": ", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri("/api/dev/token", UriKind.Relative), content, Ct);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DevTokenRoute_Production_IsNotMapped()
    {
        await using var factory = new ProductionLocalHostFactory(emulators);
        using var client = factory.CreateClient();

        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToArray();
        var response = await client.PostAsJsonAsync("/api/dev/token", new { subject = "x", tenantId = "t", roles = new[] { "admin" } }, Ct);

        Assert.Contains("/api/health", routes);
        Assert.DoesNotContain("/api/dev/token", routes);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed class ProductionLocalHostFactory : LocalHostFactory
    {
        public ProductionLocalHostFactory(PlatformEmulators emulators)
            : base(emulators)
        {
            Settings["Auth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0";
        }

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseEnvironment(builder, "Production");
        }
    }
}
