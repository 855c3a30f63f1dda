using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.Orders;

public class OrderReadCacheTests
{
    private readonly FakeTimeProvider _time = new(TestData.Now);
    private int _loads;

    private TenantReadCache<Order> Cache(TimeSpan? timeToLive = null) =>
        new(new ReadCacheOptions { TimeToLive = timeToLive ?? TimeSpan.FromSeconds(2) }, _time);

    private Task<Versioned<Order>?> Load(string eTag)
    {
        Interlocked.Increment(ref _loads);
        return Task.FromResult<Versioned<Order>?>(new Versioned<Order>(TestData.Order(), eTag));
    }

    [Fact]
    public async Task GetAsync_WithinTimeToLive_ServedWithoutLoadingAgain()
    {
        var cache = Cache();

        var first = await cache.GetAsync("t1", "o-1", _ => Load("e1"));
        _time.Advance(TimeSpan.FromSeconds(1.9));
        var second = await cache.GetAsync("t1", "o-1", _ => Load("e2"));

        Assert.Equal("e1", first!.ETag);
        Assert.Equal("e1", second!.ETag);
        Assert.Equal(1, _loads);
    }

    [Fact]
    public async Task GetAsync_AfterTimeToLive_LoadsAgain()
    {
        var cache = Cache();
        await cache.GetAsync("t1", "o-1", _ => Load("e1"));

        _time.Advance(TimeSpan.FromSeconds(2));
        var again = await cache.GetAsync("t1", "o-1", _ => Load("e2"));

        Assert.Equal("e2", again!.ETag);
        Assert.Equal(2, _loads);
    }

    [Fact]
    public async Task Invalidate_AfterAWriteThroughThisInstance_NextReadLoads()
    {
        var cache = Cache();
        await cache.GetAsync("t1", "o-1", _ => Load("e1"));

        cache.Invalidate("t1", "o-1");
        var again = await cache.GetAsync("t1", "o-1", _ => Load("e2"));

        Assert.Equal("e2", again!.ETag);
    }

    [Fact]
    public async Task GetAsync_ConcurrentMisses_ShareOneLoad()
    {
        var cache = Cache();
        var gate = new TaskCompletionSource<Versioned<Order>?>(TaskCreationOptions.RunContinuationsAsynchronously);

        var readers = Enumerable.Range(0, 50).Select(_ => cache.GetAsync("t1", "o-1", _ => { Interlocked.Increment(ref _loads); return gate.Task; })).ToList();
        gate.SetResult(new Versioned<Order>(TestData.Order(), "e1"));
        var results = await Task.WhenAll(readers);

        Assert.Equal(1, _loads);
        Assert.All(results, r => Assert.Equal("e1", r!.ETag));
    }

    [Fact]
    public async Task GetAsync_MissingOrFailedLoad_IsNotRemembered()
    {
        var cache = Cache();

        var missing = await cache.GetAsync("t1", "o-1", _ => Task.FromResult<Versioned<Order>?>(null));
        await Assert.ThrowsAsync<TimeoutException>(() => cache.GetAsync("t1", "o-2", _ => Task.FromException<Versioned<Order>?>(new TimeoutException())));
        var created = await cache.GetAsync("t1", "o-1", _ => Load("e1"));
        var recovered = await cache.GetAsync("t1", "o-2", _ => Load("e2"));

        Assert.Null(missing);
        Assert.Equal("e1", created!.ETag);
        Assert.Equal("e2", recovered!.ETag);
    }

    [Fact]
    public async Task GetAsync_TenantsAreSeparateEntries()
    {
        var cache = Cache();

        await cache.GetAsync("t1", "o-1", _ => Load("tenant-1"));
        var other = await cache.GetAsync("t2", "o-1", _ => Load("tenant-2"));

        Assert.Equal("tenant-2", other!.ETag);
    }

    [Fact]
    public async Task GetAsync_TimeToLiveZero_AlwaysLoads()
    {
        var cache = Cache(TimeSpan.Zero);

        await cache.GetAsync("t1", "o-1", _ => Load("e1"));
        await cache.GetAsync("t1", "o-1", _ => Load("e2"));

        Assert.Equal(2, _loads);
    }
}
