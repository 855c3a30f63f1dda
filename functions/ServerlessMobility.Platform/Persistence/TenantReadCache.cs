using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Platform.Persistence;

public sealed class ReadCacheOptions
{
    /// <summary>
    /// How long a document read for an API route is served from this instance's memory. Writes through this instance
    /// drop the entry at once; another instance's write shows after at most this long. Zero turns the cache off.
    /// </summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Entries kept at most; past it the cache starts over (a bound on memory, not an LRU).</summary>
    public int MaxEntries { get; set; } = 10_000;
}

/// <summary>
/// A short-lived, per-instance read cache for a route that clients poll or read in bursts (an order's status, a car of
/// the showroom). Concurrent misses for one document share one database read, so a burst of reads costs one request
/// unit charge per document per time-to-live instead of one per read. Only API read paths use it: workflows and
/// read-change-write loops read through the repository and its ETags, never through here.
/// </summary>
public sealed class TenantReadCache<T>(ReadCacheOptions settings, TimeProvider time)
    where T : class
{
    private readonly ConcurrentDictionary<(string TenantId, string Id), Entry> _entries = new();

    public Task<Versioned<T>?> GetAsync(string tenantId, string id, Func<CancellationToken, Task<Versioned<T>?>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
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
        var fresh = new Entry(new Lazy<Task<Versioned<T>?>>(() => LoadAsync(key, load)), now + settings.TimeToLive);
        var winner = _entries.AddOrUpdate(key, fresh, (_, existing) => existing.Expires > now ? existing : fresh);
        return winner.Load.Value;
    }

    /// <summary>Drops the entry: the document was written by this instance.</summary>
    public void Invalidate(string tenantId, string id) => _entries.TryRemove((tenantId, id), out _);

    private async Task<Versioned<T>?> LoadAsync((string TenantId, string Id) key, Func<CancellationToken, Task<Versioned<T>?>> load)
    {
        try
        {
            var document = await load(CancellationToken.None).ConfigureAwait(false);
            if (document is null)
            {
                // Never remember a miss: the document may be created by another instance a moment later.
                _entries.TryRemove(key, out _);
            }

            return document;
        }
        catch
        {
            _entries.TryRemove(key, out _);
            throw;
        }
    }

    private sealed record Entry(Lazy<Task<Versioned<T>?>> Load, DateTimeOffset Expires);
}

/// <summary>A repository whose every write drops the document from this instance's <see cref="TenantReadCache{T}"/>.</summary>
public sealed class ReadCacheInvalidatingRepository<T>(ITenantRepository<T> inner, TenantReadCache<T> cache) : ITenantRepository<T>
    where T : class
{
    public Task<Versioned<T>?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default) =>
        inner.GetAsync(tenantId, id, cancellationToken);

    public async Task<Versioned<T>> CreateAsync(string tenantId, string id, T item, CancellationToken cancellationToken = default)
    {
        cache.Invalidate(tenantId, id);
        return await inner.CreateAsync(tenantId, id, item, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Versioned<T>> ReplaceAsync(string tenantId, string id, T item, string eTag, CancellationToken cancellationToken = default)
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

    public Task<IReadOnlyList<T>> QueryAsync(string tenantId, string? field = null, object? value = null, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(tenantId, field, value, cancellationToken);
}

public static class TenantReadCacheServiceCollectionExtensions
{
    /// <summary>A <see cref="TenantReadCache{T}"/> whose settings are the configuration section <paramref name="section"/> ("CarAsAService:OrderReadCache").</summary>
    public static IServiceCollection AddTenantReadCache<T>(this IServiceCollection services, string section)
        where T : class
    {
        var name = typeof(T).FullName!;
        services.AddOptions<ReadCacheOptions>(name).BindConfiguration(section);
        services.AddSingleton(sp => new TenantReadCache<T>(sp.GetRequiredService<IOptionsMonitor<ReadCacheOptions>>().Get(name), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The repository <paramref name="inner"/> makes, with every write dropping the document from the registered <see cref="TenantReadCache{T}"/>.</summary>
    public static IServiceCollection AddReadCachedRepository<T>(this IServiceCollection services, Func<IServiceProvider, ITenantRepository<T>> inner)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(inner);
        return services.AddSingleton<ITenantRepository<T>>(sp => new ReadCacheInvalidatingRepository<T>(inner(sp), sp.GetRequiredService<TenantReadCache<T>>()));
    }
}
