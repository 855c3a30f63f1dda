using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// The whole local host in-process (its pipeline, tokens and management API) with the test orchestrations
/// registered next to the platform's, on a task hub of its own, shared by the tests of a class.
/// </summary>
public sealed class LocalHostWithTestOrchestrations(PlatformEmulators emulators) : IAsyncLifetime
{
    private readonly LocalHostFactory _factory = Create(emulators);

    public CapturedErrors Errors => _factory.Errors;

    public ValueTask InitializeAsync()
    {
        // Builds and starts the host now rather than inside the first test.
        _ = _factory.Server;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    public HttpClient CreateAnonymousClient() => _factory.CreateClient();

    /// <summary>A client carrying a development token for one subject with <paramref name="role"/> in <paramref name="tenantId"/>.</summary>
    public async Task<HttpClient> CreateClientAsync(string role, string tenantId)
    {
        var client = _factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/dev/token", new { subject = $"{role}-1", tenantId, roles = new[] { role } }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static LocalHostFactory Create(PlatformEmulators emulators)
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Durable:MaxQueuePollingInterval"] = "00:00:00.150";

        // The broker is not under test here.
        factory.Settings["Mqtt:Enabled"] = "false";
        factory.ConfigureTestServices = TestOrchestrations.Register;
        return factory;
    }
}
