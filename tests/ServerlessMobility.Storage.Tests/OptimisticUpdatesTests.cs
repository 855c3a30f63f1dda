using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests;

/// <summary>The kernel's read-decide-replace loop on the real Cosmos server: racing writers all land, stale callers get a 409.</summary>
public class OptimisticUpdatesTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Counter(string Id, string TenantId, int Count, IReadOnlyList<string> Writers);

    private static CosmosTenantRepository<Counter> Repository(ServiceProvider services) => new CosmosTenantRepository<Counter>(services.GetRequiredService<CosmosDatabase>(), "counters");

    [Fact]
    public async Task TwelveWritersAtOnce_EveryChangeLands_NoneOverwritten()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddCosmosContainer("counters"));
        var counters = Repository(services);
        await counters.CreateAsync("tenant-a", "c-1", new Counter("c-1", "tenant-a", 0, []), Ct);

        await Task.WhenAll(Enumerable.Range(1, 12).Select(writer => counters.UpdateUnderETagAsync("tenant-a", "c-1",
            current => (current with { Count = current.Count + 1, Writers = [.. current.Writers, $"w{writer}"] }, writer), "Counter", cancellationToken: Ct)));

        var stored = (await counters.GetAsync("tenant-a", "c-1", Ct))!.Value;
        Assert.Equal(12, stored.Count);
        Assert.Equal(12, stored.Writers.Distinct().Count());
    }

    [Fact]
    public async Task NoChange_StoresNothing_AndAStaleIfMatch_Is409_AndAMissingDocument_Is404()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddCosmosContainer("counters"));
        var counters = Repository(services);
        var created = await counters.CreateAsync("tenant-a", "c-2", new Counter("c-2", "tenant-a", 0, []), Ct);

        var (unchanged, answer) = await counters.UpdateUnderETagAsync("tenant-a", "c-2", current => ((Counter?)null, "kept"), "Counter", cancellationToken: Ct);
        Assert.Equal("kept", answer);
        Assert.True(OptimisticUpdates.SameETag(created.ETag, unchanged.ETag));

        await counters.UpdateUnderETagAsync("tenant-a", "c-2", current => (current with { Count = 1 }, 0), "Counter", ifMatch: $"\"{created.ETag.Trim('"')}\"", cancellationToken: Ct);
        await Assert.ThrowsAsync<ConflictException>(() => counters.UpdateUnderETagAsync("tenant-a", "c-2", current => (current with { Count = 2 }, 0), "Counter", ifMatch: created.ETag, cancellationToken: Ct));
        Assert.Equal(1, (await counters.GetAsync("tenant-a", "c-2", Ct))!.Value.Count);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => counters.UpdateUnderETagAsync("tenant-b", "c-2", current => (current, 0), "Counter", cancellationToken: Ct));
    }
}
