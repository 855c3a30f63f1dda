namespace ServerlessMobility.Platform.Persistence;

/// <summary>A stored document and the ETag it was read with; updates must present that ETag.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>
/// Documents of one kind, partitioned by tenant. Every read and query stays inside one tenant's
/// partition; every replace is conditional on the ETag (a stale one throws ConflictException).
/// </summary>
public interface ITenantRepository<T>
    where T : class
{
    Task<Versioned<T>?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default);

    /// <exception cref="Http.ConflictException">A document with that id exists.</exception>
    Task<Versioned<T>> CreateAsync(string tenantId, string id, T item, CancellationToken cancellationToken = default);

    /// <exception cref="Http.ConflictException">The document changed since <paramref name="eTag"/> was read.</exception>
    Task<Versioned<T>> ReplaceAsync(string tenantId, string id, T item, string eTag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Documents of the tenant whose <paramref name="field"/> equals <paramref name="value"/> (all when field is null). The field
    /// is a stored (camelCase) name, or a dotted path into nested objects ("vehicle.vin").
    /// </summary>
    Task<IReadOnlyList<T>> QueryAsync(string tenantId, string? field = null, object? value = null, CancellationToken cancellationToken = default);
}
