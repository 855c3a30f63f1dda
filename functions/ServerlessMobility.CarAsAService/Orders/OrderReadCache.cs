using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Orders;

public sealed class OrderReadCacheOptions
{
    public const string SectionName = "CarAsAService:OrderReadCache";

    /// <summary>
    /// How long an order read for <c>GET /api/orders/{id}</c> is served from this instance's memory.
    /// Writes through this instance drop the entry at once; another instance's write shows after at most
    /// this long. Zero turns the cache off.
    /// </summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Entries kept at most; past it the cache starts over (a bound on memory, not an LRU).</summary>
    public int MaxEntries { get; set; } = 10_000;
}

/// <summary>
/// A short-lived, per-instance read cache for the order status route, the route customers' apps and
/// dealership screens poll. Concurrent misses for one order share one Cosmos read, so a burst of polls
/// costs one request unit charge per order per time-to-live instead of one per poll. Only the API read
/// path uses it: workflow activities read through the repository and its ETags, never through here.
/// </summary>
public sealed class OrderReadCache(IOptions<OrderReadCacheOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string TenantId, string Id), Entry> _entries = new();

    public Task<Versioned<Order>?> GetAsync(string tenantId, string id, Func<CancellationToken, Task<Versioned<Order>?>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var settings = options.Value;
        if (settings.TimeToLive <= TimeSpan.Zero)
        {
            return load(CancellationToken.None);
        }

        var key = (tenantId, id);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Load.Value;
        }

        if (_entries.Count >= settings.MaxEntries)
        {
            _entries.Clear();
        }

        // The load is shared by every caller waiting for this entry, so it must not carry one caller's cancellation.
        var fresh = new Entry(new Lazy<Task<Versioned<Order>?>>(() => LoadAsync(key, load)), now + settings.TimeToLive);
        var winner = _entries.AddOrUpdate(key, fresh, (_, existing) => existing.Expires > now ? existing : fresh);
        return winner.Load.Value;
    }

    /// <summary>Drops the entry: the order was written by this instance.</summary>
    public void Invalidate(string tenantId, string id) => _entries.TryRemove((tenantId, id), out _);

    private async Task<Versioned<Order>?> LoadAsync((string TenantId, string Id) key, Func<CancellationToken, Task<Versioned<Order>?>> load)
    {
        try
        {
            var order = await load(CancellationToken.None).ConfigureAwait(false);
            if (order is null)
            {
                // Never remember a miss: the order may be created by another instance a moment later.
                _entries.TryRemove(key, out _);
            }

            return order;
        }
        catch
        {
            _entries.TryRemove(key, out _);
            throw;
        }
    }

    private sealed record Entry(Lazy<Task<Versioned<Order>?>> Load, DateTimeOffset Expires);
}

/// <summary>The order repository with every write dropping the order from this instance's read cache.</summary>
public sealed class OrderCacheInvalidatingRepository(ITenantRepository<Order> inner, OrderReadCache cache) : ITenantRepository<Order>
{
    public Task<Versioned<Order>?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default) =>
        inner.GetAsync(tenantId, id, cancellationToken);

    public async Task<Versioned<Order>> CreateAsync(string tenantId, string id, Order item, CancellationToken cancellationToken = default)
    {
        cache.Invalidate(tenantId, id);
        return await inner.CreateAsync(tenantId, id, item, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Versioned<Order>> ReplaceAsync(string tenantId, string id, Order item, string eTag, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReplaceAsync(tenantId, id, item, eTag, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a conflict: the cached copy is at least as old as the ETag that lost.
            cache.Invalidate(tenantId, id);
        }
    }

    public Task<IReadOnlyList<Order>> QueryAsync(string tenantId, string? field = null, object? value = null, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(tenantId, field, value, cancellationToken);
}
