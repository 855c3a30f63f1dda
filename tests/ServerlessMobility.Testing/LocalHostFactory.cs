using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessMobility.Testing;

/// <summary>
/// The local host in-process (TestServer) against the shared emulators, with its own storage prefix,
/// Cosmos database and broker port, in the Development environment with a known dev signing key.
/// </summary>
public class LocalHostFactory(PlatformEmulators emulators) : WebApplicationFactory<Program>
{
    public const string DevSigningKey = "test-signing-key-for-local-host-tests-0123456789";

    public Dictionary<string, string?> Settings { get; } = CreateSettings(emulators);

    /// <summary>
    /// A host that serves the API but runs no orchestration or activity (instances are only scheduled): it starts and
    /// stops about a second sooner, the durable worker's stop alone taking one, which adds up over a suite of hosts.
    /// </summary>
    public static LocalHostFactory WithoutDurableWorker(PlatformEmulators emulators)
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Durable:EnableWorker"] = "false";
        return factory;
    }

    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    /// <summary>What the host logged at error level, for failure messages.</summary>
    public CapturedErrors Errors { get; } = new();

    private readonly Lock _conformanceGate = new();
    private Task<OpenApiConformance>? _conformance;

    /// <summary>
    /// When set, clients from <see cref="CreateClient"/> check every response against the host's OpenAPI document and
    /// fail the request when the document does not describe it (<see cref="OpenApiConformanceHandler"/>).
    /// </summary>
    public bool CheckResponsesAgainstOpenApi { get; set; }

    /// <summary>
    /// The host's OpenAPI document, read once from its route: one read at a time (parallel first requests of a test
    /// would otherwise generate the document concurrently), with no caller's cancellation, and read again after a
    /// failed read rather than failing every later request of the host.
    /// </summary>
    public Task<OpenApiConformance> OpenApiAsync(CancellationToken cancellationToken = default)
    {
        lock (_conformanceGate)
        {
            if (_conformance is null || _conformance.IsFaulted || _conformance.IsCanceled)
            {
                _conformance = LoadOpenApiAsync();
            }

            return _conformance.WaitAsync(cancellationToken);
        }
    }

    private async Task<OpenApiConformance> LoadOpenApiAsync()
    {
        try
        {
            return await OpenApiConformance.LoadAsync(Server.CreateHandler(), ClientOptions.BaseAddress, CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}The host logged: {Errors}", ex);
        }
    }

    /// <summary>A client of the in-process host; it checks responses against the document when <see cref="CheckResponsesAgainstOpenApi"/> is set.</summary>
    public new HttpClient CreateClient() =>
        CheckResponsesAgainstOpenApi ? CreateDefaultClient(ClientOptions.BaseAddress, new OpenApiConformanceHandler(OpenApiAsync)) : base.CreateClient();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(Environments.Development);
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (ConfigureTestServices is not null)
        {
            builder.ConfigureServices(ConfigureTestServices);
        }
    }

    private static Dictionary<string, string?> CreateSettings(PlatformEmulators emulators)
    {
        var settings = emulators.Settings();
        settings["LocalSettingsPath"] = "(none)";
        settings["Mqtt:Port"] = FreeTcpPort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Auth:DevSigningKey"] = DevSigningKey;

        // Every host gets its own task hub (the storage prefix is unique); two partitions are plenty for a test
        // and halve the queues each idle host polls on the shared Azurite.
        settings["Durable:PartitionCount"] = "2";
        return settings;
    }
}
