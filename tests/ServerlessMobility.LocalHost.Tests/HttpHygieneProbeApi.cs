using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// One probe host for the tests that neither change a setting nor count on an empty rate-limit budget: the
/// gadgets routes and a /things route that counts the requests that got through to it. Its requests stay far
/// below the per-subject and per-IP budgets, and the class's tests run one at a time, so a test's count is its own.
/// </summary>
public sealed class HttpHygieneProbeApi(PlatformEmulators emulators) : IAsyncLifetime
{
    private TestApi? _api;
    private int _thingsCreated;

    internal TestApi Api => _api ?? throw new InvalidOperationException("Not started.");

    public int ThingsCreated => Volatile.Read(ref _thingsCreated);

    public async ValueTask InitializeAsync() => _api = await TestApi.StartAsync(emulators, api =>
    {
        HttpHygieneTests.MapGadgets(api);
        api.MapPost("/things", () =>
        {
            Interlocked.Increment(ref _thingsCreated);
            return TypedResults.Ok();
        }).RequireRoles(PlatformRoles.DealerStaff);
    });

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
