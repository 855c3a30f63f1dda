using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.Showroom.Leads;

public static class LeadRepositoryUpdates
{
    private const int MaxAttempts = 20;

    /// <summary>
    /// Reads the document, applies <paramref name="change"/> and stores it only if nobody wrote in between (ETag); otherwise
    /// reads again and re-applies, so two salespeople logging on the same lead at once both land. When the caller sent the
    /// ETag it read (<paramref name="ifMatch"/>), a document changed since is a 409 instead: the caller decided on a stale view.
    /// A change that throws, or that reports no change, stores nothing.
    /// </summary>
    public static async Task<(Versioned<T> Stored, TResult Result)> UpdateAsync<T, TResult>(this ITenantRepository<T> repository, string tenantId, string id,
        Func<T, (bool Changed, TResult Result)> change, string resource, string? ifMatch, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var current = await repository.GetAsync(tenantId, id, cancellationToken) ?? throw new ResourceNotFoundException(resource, id);
            if (ifMatch is not null && !SameETag(ifMatch, current.ETag))
            {
                throw new ConflictException($"The {resource.ToLowerInvariant()} changed since it was read (If-Match {ifMatch}); read it again.");
            }

            var (changed, result) = change(current.Value);
            if (!changed)
            {
                return (current, result);
            }

            try
            {
                return (await repository.ReplaceAsync(tenantId, id, current.Value, current.ETag, cancellationToken), result);
            }
            catch (ConflictException) when (attempt < MaxAttempts && ifMatch is null)
            {
                // Someone wrote in between: back off a little, with jitter, so racing writers do not retry in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>The local Cosmos server's ETags are bare, Azure's quoted: either form names the same version.</summary>
    public static bool SameETag(string a, string b) => string.Equals(a.Trim('"'), b.Trim('"'), StringComparison.Ordinal);
}
