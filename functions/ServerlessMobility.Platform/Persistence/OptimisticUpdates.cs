using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Platform.Persistence;

/// <summary>
/// The read-decide-replace loop every module writes documents with: read the document, decide the change on what is
/// stored, replace it only if nobody wrote in between (ETag); otherwise read again and decide again, after a short
/// jittered pause so racing writers do not retry in lockstep. Concurrent changes (two salespeople on one lead, two
/// reservations of one part, a workflow and a request on one order) serialize instead of overwriting each other.
/// </summary>
public static class OptimisticUpdates
{
    /// <summary>Enough for a few dozen writers racing on one document; a loop that still loses is answered 409.</summary>
    public const int MaxAttempts = 20;

    /// <param name="decide">
    /// Returns the document to store (the one it was given, changed in place, or a new one) and what the caller wants
    /// back; null as the document when nothing changes, which stores nothing and makes no other writer retry. A decision
    /// that throws stores nothing.
    /// </param>
    /// <param name="resource">Names the document in the 404 when it does not exist ("Lead").</param>
    /// <param name="ifMatch">
    /// The ETag the caller decided on, when it sent one: a document changed since is a 409 (the caller saw a stale view)
    /// instead of a decision taken again.
    /// </param>
    public static async Task<(Versioned<T> Stored, TResult Result)> UpdateUnderETagAsync<T, TResult>(this ITenantRepository<T> repository, string tenantId, string id,
        Func<T, (T? Replacement, TResult Result)> decide, string resource, string? ifMatch = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; ; attempt++)
        {
            var current = await repository.GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException(resource, id);
            if (ifMatch is not null && !SameETag(ifMatch, current.ETag))
            {
                throw new ConflictException($"The {resource.ToLowerInvariant()} changed since it was read (If-Match {ifMatch}); read it again.");
            }

            var (replacement, result) = decide(current.Value);
            if (replacement is null)
            {
                return (current, result);
            }

            try
            {
                return (await repository.ReplaceAsync(tenantId, id, replacement, current.ETag, cancellationToken).ConfigureAwait(false), result);
            }
            catch (ConflictException) when (attempt < MaxAttempts && ifMatch is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The local Cosmos server's ETags are bare, Azure's quoted: either form names the same version.</summary>
    public static bool SameETag(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(a.Trim('"'), b.Trim('"'), StringComparison.Ordinal);
    }
}
