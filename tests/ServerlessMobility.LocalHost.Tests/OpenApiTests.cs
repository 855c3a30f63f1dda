using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

public class OpenApiTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task OpenApiDocument_Anonymous_DescribesTheApi()
    {
        await using var factory = new LocalHostFactory(emulators);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/openapi.json", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("ServerlessMobility API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/health", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/me", out _));
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task ReferencePage_Anonymous_ServesScalarHtml()
    {
        await using var factory = new LocalHostFactory(emulators);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/docs", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("api/openapi.json", html, StringComparison.Ordinal);
    }
}
