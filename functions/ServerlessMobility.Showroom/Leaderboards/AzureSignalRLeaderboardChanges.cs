using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;
using ServerlessMobility.Showroom.LiveUpdates;

namespace ServerlessMobility.Showroom.Leaderboards;

/// <summary>
/// Every award reaches this instance's leaderboard streams at once; in the background, the week's and the month's boards
/// after it are read once each (<see cref="LiveLeaderboards"/>, shared with those streams) and sent to the dealership's
/// Azure SignalR group of that period, with the award that moved them.
/// </summary>
public sealed class AzureSignalRLeaderboardChanges(InProcessLeaderboardChanges instance, AzureSignalROutbox outbox, AzureSignalRClient signalR, LiveLeaderboards live)
    : ILeaderboardChanges
{
    private static readonly LeaderboardPeriod[] Periods = [LeaderboardPeriod.Week, LeaderboardPeriod.Month];

    public void Publish(PointAward award)
    {
        ArgumentNullException.ThrowIfNull(award);
        instance.Publish(award);
        foreach (var period in Periods)
        {
            var group = ShowroomLiveGroups.Leaderboard(award.TenantId, period);
            outbox.Enqueue(new LiveDelivery($"board after award {award.Id} to {group}", async ct =>
            {
                var board = await live.AfterAsync(award.TenantId, period, award, ct);
                await signalR.SendToGroupAsync(group, ShowroomLiveGroups.LeaderboardTarget, new LeaderboardUpdate(board, award), ct);
            }));
        }
    }

    public IAsyncEnumerable<PointAward> SubscribeAsync(string tenantId, CancellationToken cancellationToken) => instance.SubscribeAsync(tenantId, cancellationToken);
}
