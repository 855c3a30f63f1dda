using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Http;

/// <summary>
/// One <see cref="RentToOwnHost"/> on the fake clock for the tests of a class that keep apart by tenants of their own
/// and never move the clock: a host start costs seconds under CI load, a request milliseconds. Tests that move the
/// clock or replace a service keep a host of their own.
/// </summary>
public sealed class SharedRentToOwnHost(PlatformEmulators emulators) : IAsyncLifetime
{
    internal RentToOwnHost Host { get; } = RentToOwnHost.Start(emulators);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
