using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.LiveUpdates;

public enum InventoryChangeKind
{
    /// <summary>The first event of every stream: the subscription is in place, so no later change is missed.</summary>
    Connected,

    Added,
    Updated,
    StatusChanged,
}

/// <summary>One committed change of a dealership's stock, as live clients receive it.</summary>
/// <param name="Vin">Empty in the <see cref="InventoryChangeKind.Connected"/> event.</param>
/// <param name="Status">The vehicle's status after the change; null in the <see cref="InventoryChangeKind.Connected"/> event.</param>
/// <param name="PreviousStatus">Set on a status change.</param>
/// <param name="Vehicle">The vehicle after the change; null in a customer's stream when the vehicle just left the stock for sale.</param>
public sealed record InventoryChange(InventoryChangeKind Kind, string TenantId, string Vin, VehicleStatus? Status, VehicleStatus? PreviousStatus, long Version,
    DateTimeOffset At, InventoryVehicleView? Vehicle);

/// <summary>
/// Fans committed inventory changes out to the clients connected for the same dealership. The local host keeps the
/// clients in this process (<see cref="InProcessInventoryChangeBroadcaster"/>); a deployment that scales out needs a
/// broadcaster every instance shares (Azure SignalR Service), which is not built yet (docs/flows/showroom.md).
/// </summary>
public interface IInventoryChangeBroadcaster
{
    void Publish(InventoryChange change);

    /// <summary>The changes of <paramref name="tenantId"/> from now on, until <paramref name="cancellationToken"/> ends the subscription.</summary>
    IAsyncEnumerable<InventoryChange> SubscribeAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>In-process fan-out, one bounded channel per connected client; a client too slow to keep up loses the oldest changes, never blocks a write.</summary>
public sealed class InProcessInventoryChangeBroadcaster : IInventoryChangeBroadcaster
{
    private const int ClientBuffer = 64;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<InventoryChange>, byte>> _subscribers = new(StringComparer.Ordinal);

    public int SubscriberCount(string tenantId) => _subscribers.TryGetValue(tenantId, out var set) ? set.Count : 0;

    public void Publish(InventoryChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (_subscribers.TryGetValue(change.TenantId, out var set))
        {
            foreach (var channel in set.Keys)
            {
                channel.Writer.TryWrite(change);
            }
        }
    }

    public async IAsyncEnumerable<InventoryChange> SubscribeAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<InventoryChange>(new BoundedChannelOptions(ClientBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var set = _subscribers.GetOrAdd(tenantId, _ => new ConcurrentDictionary<Channel<InventoryChange>, byte>());
        set[channel] = 0;
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return change;
            }
        }
        finally
        {
            set.TryRemove(channel, out _);
        }
    }
}
