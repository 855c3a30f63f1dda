using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Security.Idempotency;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// docs/security.md lists every route with the roles allowed. The table is checked against the real
/// endpoint metadata, so a route added without a decision on who may call it fails here. Regenerate
/// it with SECURITY_DOC_UPDATE=1 (the test then rewrites the table and still fails once, to be seen).
/// </summary>
public class RouteSecurityTests(PlatformEmulators emulators)
{
    private const string StartMarker = "<!-- route-table:start -->";
    private const string EndMarker = "<!-- route-table:end -->";

    private static readonly string[] AnonymousByDesign = ["/api/health", "/api/openapi.json", "/api/docs/{documentName?}", "/api/dev/token", "/api/documents/download", "/api/workshop/approvals"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Health, the API reference and its assets, the dev token route, signed webhooks, signed document links and the workshop owner's signed approval link.</summary>
    private static bool IsAnonymousByDesign(string pattern) =>
        AnonymousByDesign.Contains(pattern)
        || pattern.StartsWith("/api/docs/", StringComparison.Ordinal)
        || pattern.StartsWith("/api/webhooks/", StringComparison.Ordinal);

    private static IReadOnlyList<RouteSecurity> Routes(LocalHostFactory factory) =>
        RouteSecurity.From(factory.Services.GetRequiredService<EndpointDataSource>());

    [Fact]
    public async Task SecurityDoc_ListsEveryRouteWithItsRoles()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();
        var expected = RouteSecurity.Markdown(Routes(factory));
        var path = RepositoryPaths.InRoot("docs", "security.md");
        var doc = await File.ReadAllTextAsync(path, Ct);
        var start = doc.IndexOf(StartMarker, StringComparison.Ordinal);
        var end = doc.IndexOf(EndMarker, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/security.md lacks the route-table markers.");
        var actual = doc[(start + StartMarker.Length)..end].Trim('\n') + "\n";

        if (actual != expected && Environment.GetEnvironmentVariable("SECURITY_DOC_UPDATE") == "1")
        {
            await File.WriteAllTextAsync(path, doc[..(start + StartMarker.Length)] + "\n" + expected + doc[end..], Ct);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task EveryApiRoute_IsAnonymousByDesignOrDeclaresItsRoles()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();

        var undecided = Routes(factory)
            .Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal))
            .Where(r => r.Anonymous ? !IsAnonymousByDesign(r.Pattern) : r.Roles.Count == 0)
            .Select(r => $"{r.Method} {r.Pattern}");

        Assert.Empty(undecided);
    }

    [Fact]
    public async Task EveryPostRoute_HonoursIdempotencyKeys()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();

        var posts = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && e.RoutePattern.RawText != "/api/dev/token")
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .ToArray();

        Assert.All(posts, e => Assert.NotNull(e.Metadata.GetMetadata<IdempotentEndpointMetadata>()));
    }

    /// <summary>The matrix: for every protected route, no token is a 401 and a role outside its list is a 403.</summary>
    [Fact]
    public async Task EveryProtectedRoute_NoToken401_WrongRole403()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();
        var failures = new List<string>();

        foreach (var route in Routes(factory).Where(r => !r.Anonymous && r.Method != "*"))
        {
            var path = string.Join('/', route.Pattern.Split('/').Select(segment => segment.StartsWith('{') ? "probe-id" : segment));
            using var anonymous = new HttpRequestMessage(new HttpMethod(route.Method), path);
            var response = await client.SendAsync(anonymous, Ct);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{route.Method} {route.Pattern} without a token: {(int)response.StatusCode}");
            }

            if (route.ForbiddenRole is { } role)
            {
                var token = await TokenAsync(client, role);
                using var wrongRole = new HttpRequestMessage(new HttpMethod(route.Method), path);
                wrongRole.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                response = await client.SendAsync(wrongRole, Ct);
                if (response.StatusCode != HttpStatusCode.Forbidden)
                {
                    failures.Add($"{route.Method} {route.Pattern} as {role}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
    }

    private static Task<string> TokenAsync(HttpClient client, string role) => DevTokens.IssueAsync(client, "matrix-" + role, "matrix-tenant", role);
}
