using ServerlessMobility.Platform.LiveUpdates;

namespace ServerlessMobility.Showroom.Leaderboards;

/// <summary>
/// Tells the live leaderboards of a dealership that points were awarded. The local host keeps the clients in this process
/// (<see cref="InProcessLeaderboardChanges"/>); with Azure SignalR Service configured,
/// <see cref="AzureSignalRLeaderboardChanges"/> also sends the boards after each award to the dealership's groups there,
/// which the clients of every instance hear (docs/flows/showroom.md).
/// </summary>
public interface ILeaderboardChanges
{
    void Publish(PointAward award);

    IAsyncEnumerable<PointAward> SubscribeAsync(string tenantId, CancellationToken cancellationToken);
}

public sealed class InProcessLeaderboardChanges : ILeaderboardChanges
{
    private readonly KeyedFanOut<PointAward> _clients = new(clientBuffer: 64);

    public void Publish(PointAward award)
    {
        ArgumentNullException.ThrowIfNull(award);
        _clients.Publish(award.TenantId, award);
    }

    public IAsyncEnumerable<PointAward> SubscribeAsync(string tenantId, CancellationToken cancellationToken) => _clients.SubscribeAsync(tenantId, cancellationToken);
}
