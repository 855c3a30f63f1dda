using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Security.Idempotency;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests;

public class TableIdempotencyStoreTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryBeginAsync_SecondClaim_SeesFirstThenCompletedRecord()
    {
        await using var services = StorageServices.Create(emulators);
        var store = services.GetRequiredService<IIdempotencyStore>();

        Assert.Null(await store.TryBeginAsync("tenant\nuser", "key-1", "fp-1", Ct));
        var inProgress = await store.TryBeginAsync("tenant\nuser", "key-1", "fp-1", Ct);
        await store.CompleteAsync("tenant\nuser", "key-1", new IdempotencyRecord("fp-1", 201, """{"id":"o-1"}""", "/api/orders/o-1", DateTimeOffset.UtcNow), Ct);
        var completed = await store.TryBeginAsync("tenant\nuser", "key-1", "fp-1", Ct);

        Assert.NotNull(inProgress);
        Assert.Null(inProgress.StatusCode);
        Assert.Equal(201, completed?.StatusCode);
        Assert.Equal("/api/orders/o-1", completed?.Location);
    }

    [Fact]
    public async Task ConcurrentClaims_ExactlyOneWins()
    {
        await using var services = StorageServices.Create(emulators);
        var store = services.GetRequiredService<IIdempotencyStore>();

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => store.TryBeginAsync("t\nu", "race", "fp", Ct)));

        Assert.Single(claims, c => c is null);
    }

    [Fact]
    public async Task AbandonAsync_ReleasesTheKey()
    {
        await using var services = StorageServices.Create(emulators);
        var store = services.GetRequiredService<IIdempotencyStore>();
        await store.TryBeginAsync("t\nu", "retry-me", "fp", Ct);

        await store.AbandonAsync("t\nu", "retry-me", Ct);

        Assert.Null(await store.TryBeginAsync("t\nu", "retry-me", "fp", Ct));
    }
}
