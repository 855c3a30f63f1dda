using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Storage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// The engine in a generic host on the shared Azurite, with its own resource prefix, fast polling and,
/// optionally, a FakeTimeProvider for workflow time.
/// </summary>
internal sealed class DurableTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DurableTestHost(IHost host, string prefix, FakeTimeProvider? time)
    {
        _host = host;
        Prefix = prefix;
        Time = time;
    }

    public string Prefix { get; }

    public FakeTimeProvider? Time { get; }

    public IServiceProvider Services => _host.Services;

    public IWorkflowClient Client => _host.Services.GetRequiredService<IWorkflowClient>();

    public static async Task<DurableTestHost> StartAsync(PlatformEmulators emulators, Action<IServiceCollection> register, bool fakeTime = false,
        IDictionary<string, string?>? settings = null, string? prefix = null)
    {
        prefix ??= PlatformEmulators.UniquePrefix();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        var values = emulators.Settings(prefix);
        values["Durable:MaxPollInterval"] = "00:00:00.100";
        values["Durable:TimerPollInterval"] = "00:00:00.050";
        values["Durable:LeaseRenewInterval"] = "00:00:02";
        values["Durable:LeaseDuration"] = "00:00:15";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddLogging(logging =>
        {
            // DURABLE_TEST_LOGS=1 shows the engine's log on the console when a test needs diagnosing.
            if (Environment.GetEnvironmentVariable("DURABLE_TEST_LOGS") == "1")
            {
                logging.AddSimpleConsole();
            }
        });
        var time = fakeTime ? new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero)) : null;
        builder.Services.AddSingleton<TimeProvider>(time ?? TimeProvider.System);
        builder.Services.AddPlatformStorage();
        builder.Services.AddLocalDurableEngine(builder.Configuration);
        register(builder.Services);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new DurableTestHost(host, prefix, time);
    }

    /// <summary>Polls until the instance reaches a terminal state (or <paramref name="until"/> holds).</summary>
    public async Task<WorkflowInstance> WaitAsync(string instanceId, Func<WorkflowInstance, bool>? until = null, TimeSpan? timeout = null)
    {
        until ??= i => i.RuntimeStatus.IsTerminal();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        WorkflowInstance? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await Client.GetInstanceAsync(instanceId, includeInputsAndOutputs: true, includeHistory: true, TestContext.Current.CancellationToken);
            if (last is not null && until(last))
            {
                return last;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Instance {instanceId} did not reach the expected state; last status {last?.RuntimeStatus}, failure {last?.FailureDetails?.ErrorMessage}, history {string.Join(", ", last?.History?.Select(e => $"{e.EventType}#{e.EventId}/{e.ScheduledId}") ?? [])}.");
    }

    /// <summary>Waits until the instance has recorded <paramref name="count"/> events of the given type.</summary>
    public Task<WorkflowInstance> WaitForEventsAsync(string instanceId, string eventType, int count = 1) =>
        WaitAsync(instanceId, i => (i.History?.Count(e => e.EventType == eventType) ?? 0) >= count || i.RuntimeStatus.IsTerminal());

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
