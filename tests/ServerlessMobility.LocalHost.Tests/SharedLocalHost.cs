using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// One local host without the durable worker for all the tests of a class that only read what every host serves the
/// same way (console pages, problem answers): a host start costs seconds under CI load, a request milliseconds.
/// Tests that change a setting or a service keep a host of their own.
/// </summary>
public sealed class SharedLocalHost(PlatformEmulators emulators) : IAsyncLifetime
{
    public LocalHostFactory Factory { get; } = LocalHostFactory.WithoutDurableWorker(emulators);

    public ValueTask InitializeAsync()
    {
        // Starts the host now, once, rather than inside whichever test happens to create the first client.
        _ = Factory.Server;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
