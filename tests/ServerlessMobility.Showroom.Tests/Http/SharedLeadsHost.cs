using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>
/// One <see cref="LeadsHost"/> for the tests of a class that neither write nor move its fake clock (refused requests,
/// say): a host start costs seconds under CI load, a request milliseconds. Tests that write leads or advance the
/// clock keep a host of their own.
/// </summary>
public sealed class SharedLeadsHost(PlatformEmulators emulators) : IAsyncLifetime
{
    internal LeadsHost Host { get; } = LeadsHost.Start(emulators);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
