using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

public class OpenApiTests(PlatformEmulators emulators, SharedLocalHost shared) : IClassFixture<SharedLocalHost>
{
    [Fact]
    public async Task OpenApiDocument_Anonymous_DescribesTheApi()
    {
        using var client = shared.Factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/openapi.json", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("ServerlessMobility API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/health", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/me", out _));
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
    }

    /// <summary>
    /// Two hosts in one process answering many document requests at once: a schema transformer once shared a
    /// non-thread-safe reflection cache, which a concurrent generation corrupted for good (every later document a 500).
    /// </summary>
    [Fact]
    public async Task OpenApiDocument_ManyRequestsAtOnceFromTwoHosts_AllAnswered()
    {
        await using var first = LocalHostFactory.WithoutDurableWorker(emulators);
        await using var second = LocalHostFactory.WithoutDurableWorker(emulators);
        using var one = first.CreateClient();
        using var two = second.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? one : two).GetAsync(new Uri("/api/openapi.json", UriKind.Relative), TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task OpenApiDocument_Geofence_DeclaresTheLimits()
    {
        using var client = shared.Factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/openapi.json", UriKind.Relative), TestContext.Current.CancellationToken);

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var request = schemas.GetProperty("GeofenceRequest").GetProperty("properties");
        var point = schemas.GetProperty("GeoPoint").GetProperty("properties");
        Assert.Equal(500, request.GetProperty("polygon").GetProperty("maxItems").GetInt32());
        Assert.Equal(3, request.GetProperty("polygon").GetProperty("minItems").GetInt32());
        Assert.Equal(1_000_000, request.GetProperty("radiusMeters").GetProperty("maximum").GetDouble());
        Assert.Equal(200, request.GetProperty("name").GetProperty("maxLength").GetInt32());
        Assert.Equal(64, request.GetProperty("contractId").GetProperty("maxLength").GetInt32());
        Assert.Equal(-90, point.GetProperty("lat").GetProperty("minimum").GetDouble());
        Assert.Equal(180, point.GetProperty("lon").GetProperty("maximum").GetDouble());
    }

    [Fact]
    public async Task ReferencePage_Anonymous_ServesScalarHtml()
    {
        using var client = shared.Factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/docs", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("api/openapi.json", html, StringComparison.Ordinal);
    }
}
