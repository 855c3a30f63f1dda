using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessMobility.LocalHost.Durable;
using ServerlessMobility.Storage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// The local host's durable wiring alone (platform storage, <see cref="DurableTaskServiceCollectionExtensions.AddLocalDurableTask"/>
/// and the workflow registry) in a generic host on the shared Azurite, on a task hub of its own.
/// </summary>
internal sealed class DurableTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DurableTestHost(IHost host, string prefix, CapturedErrors errors)
    {
        _host = host;
        Prefix = prefix;
        Errors = errors;
    }

    /// <summary>The storage resource prefix: hosts started with the same one share a task hub.</summary>
    public string Prefix { get; }

    public CapturedErrors Errors { get; }

    public IServiceProvider Services => _host.Services;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public string TaskHubName => _host.Services.GetRequiredService<LocalTaskHub>().Name;

    /// <summary>
    /// The settings a test host runs with: two partitions and a short polling ceiling, so that durable timers
    /// and retries are noticed within a fraction of a second rather than the half second a developer host allows.
    /// </summary>
    public static Dictionary<string, string?> DefaultSettings(PlatformEmulators emulators, string prefix)
    {
        ArgumentNullException.ThrowIfNull(emulators);
        var settings = emulators.Settings(prefix);
        settings["Durable:PartitionCount"] = "2";
        settings["Durable:MaxQueuePollingInterval"] = "00:00:00.150";
        return settings;
    }

    /// <param name="register">Registers the orchestrators and activities (defaults to <see cref="TestOrchestrations.Register"/>).</param>
    /// <param name="settings">Overrides of <see cref="DefaultSettings"/>.</param>
    /// <param name="prefix">Joins the task hub of an earlier host; a new one by default.</param>
    public static async Task<DurableTestHost> StartAsync(PlatformEmulators emulators, Action<IServiceCollection>? register = null,
        IDictionary<string, string?>? settings = null, string? prefix = null)
    {
        prefix ??= PlatformEmulators.UniquePrefix();
        var values = DefaultSettings(emulators, prefix);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(values);
        var errors = new CapturedErrors();
        builder.Logging.AddProvider(errors);

        // DURABLE_TEST_LOGS=1 shows the framework's own log when a test needs diagnosing.
        if (Environment.GetEnvironmentVariable("DURABLE_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Information);
        }

        builder.Services.AddPlatformStorage();
        builder.Services.AddLocalDurableTask(builder.Configuration);
        (register ?? TestOrchestrations.Register)(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new DurableTestHost(host, prefix, errors);
    }

    public async ValueTask DisposeAsync()
    {
        // Not the test's token: a cancelled test must still release its partitions and stop its pollers.
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
