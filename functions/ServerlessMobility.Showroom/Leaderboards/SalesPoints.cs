using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.Showroom.Leaderboards;

/// <summary>Awards points for sales actions, exactly once per action (<see cref="PointAward"/>'s id), and tells the live leaderboards.</summary>
public sealed class SalesPoints(ITenantRepository<PointAward> awards, ILeaderboardChanges changes, TimeProvider time)
{
    /// <returns>Whether this call awarded them (false: the action was already rewarded).</returns>
    public async Task<bool> AwardAsync(string tenantId, string salespersonId, PointAction action, string leadId, string? detail, CancellationToken cancellationToken)
    {
        var award = PointAward.For(tenantId, salespersonId, action, leadId, detail, time.GetUtcNow());
        try
        {
            await awards.CreateAsync(tenantId, award.Id, award, cancellationToken);
        }
        catch (ConflictException)
        {
            return false;
        }

        // Only after the award is stored: a board recomputed on this signal already counts it.
        changes.Publish(award);
        return true;
    }
}
