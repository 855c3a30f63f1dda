using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

public class HealthEndpointTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task Health_AllDependenciesUp_Returns200WithEachDependency()
    {
        await using var factory = new LocalHostFactory(emulators);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        foreach (var dependency in new[] { "storage", "cosmos", "broker" })
        {
            Assert.Equal("Healthy", body.GetProperty("dependencies").GetProperty(dependency).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Health_AzuriteStopped_Returns503NamingStorage()
    {
        // A private Azurite, so stopping it does not disturb the tests sharing the assembly's one.
        var azurite = await AzuriteProcess.StartAsync();
        await using var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ConnectionString"] = azurite.ConnectionString;
        using var client = factory.CreateClient();
        var before = await client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await azurite.DisposeAsync();
        var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var dependencies = body.GetProperty("dependencies");
        Assert.Equal("Unhealthy", dependencies.GetProperty("storage").GetProperty("status").GetString());
        Assert.Contains("unreachable", dependencies.GetProperty("storage").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", dependencies.GetProperty("cosmos").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_CosmosDown_Returns503NamingCosmos()
    {
        await using var factory = new LocalHostFactory(emulators);
        factory.Settings["CosmosDb:Endpoint"] = $"https://127.0.0.1:{FreeTcpPort.Next()}/";
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("Unhealthy", body.GetProperty("dependencies").GetProperty("cosmos").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("dependencies").GetProperty("storage").GetProperty("status").GetString());
    }
}
