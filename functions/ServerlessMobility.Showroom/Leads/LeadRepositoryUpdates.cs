using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.Showroom.Leads;

public static class LeadRepositoryUpdates
{
    /// <summary>
    /// <see cref="OptimisticUpdates.UpdateUnderETagAsync{T, TResult}"/> for a change made in place that says whether it changed anything;
    /// two salespeople logging on the same lead at once both land, and a caller that sent If-Match gets a 409 on a changed lead.
    /// </summary>
    public static async Task<(Versioned<T> Stored, TResult Result)> UpdateAsync<T, TResult>(this ITenantRepository<T> repository, string tenantId, string id,
        Func<T, (bool Changed, TResult Result)> change, string resource, string? ifMatch, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        return await repository.UpdateUnderETagAsync(tenantId, id, document =>
        {
            var (changed, result) = change(document);
            return (changed ? document : null, result);
        }, resource, ifMatch, cancellationToken);
    }

    public static bool SameETag(string a, string b) => OptimisticUpdates.SameETag(a, b);
}
