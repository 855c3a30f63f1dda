namespace ServerlessMobility.Platform.Security.Idempotency;

/// <summary>A stored outcome of a request made with an <c>Idempotency-Key</c>.</summary>
/// <param name="Fingerprint">Hash of method, route and request content: the same key with other content is refused.</param>
/// <param name="StatusCode">Null while the first request is still being processed.</param>
public sealed record IdempotencyRecord(string Fingerprint, int? StatusCode, string? ResponseJson, string? Location, DateTimeOffset CreatedAt);

/// <summary>Remembers responses by (tenant, caller, key) so retried POSTs create nothing twice.</summary>
public interface IIdempotencyStore
{
    /// <summary>Claims the key for a request in progress.</summary>
    /// <returns>null when the claim succeeded; otherwise the record that already holds the key.</returns>
    Task<IdempotencyRecord?> TryBeginAsync(string scope, string key, string fingerprint, CancellationToken cancellationToken = default);

    Task CompleteAsync(string scope, string key, IdempotencyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Releases a claim whose request failed, so the client can retry with the same key.</summary>
    Task AbandonAsync(string scope, string key, CancellationToken cancellationToken = default);
}
