using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// One task hub with the test orchestrations and a running worker, shared by the tests of a class (they tell
/// their instances apart by id). Tests that need the hub to themselves, such as a purge by time range, start their own.
/// </summary>
public sealed class SharedTaskHub(PlatformEmulators emulators) : IAsyncLifetime
{
    private DurableTestHost? _host;

    public PlatformEmulators Emulators => emulators;

    internal DurableTestHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _host = await DurableTestHost.StartAsync(emulators);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
