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
    public Task<HttpClient> CreateClientAsync(string role, string tenantId) => _factory.ClientAsync($"{role}-1", tenantId, role);

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
