using ServerlessMobility.Platform.LiveUpdates;
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
    DateTimeOffset At, InventoryVehicleView? Vehicle)
{
    /// <summary>
    /// Customers see the stock that is for sale: changes of available vehicles, and a vehicle leaving it (reserved, sold,
    /// made a demo) announced without its details. Nothing else of the dealership's stock reaches them, whether they
    /// listen on this instance's stream or through Azure SignalR.
    /// </summary>
    public InventoryChange? ForCustomer() =>
        Status == VehicleStatus.Available ? this with { Vehicle = Vehicle?.ForCustomer() }
        : PreviousStatus == VehicleStatus.Available ? this with { Vehicle = null }
        : null;
}

/// <summary>
/// Fans committed inventory changes out to the clients connected for the same dealership. The local host keeps the
/// clients in this process (<see cref="InProcessInventoryChangeBroadcaster"/>); with Azure SignalR Service configured,
/// <see cref="AzureSignalRInventoryChangeBroadcaster"/> also sends every change to the dealership's groups there, so the
/// clients of every instance hear it (docs/flows/showroom.md).
/// </summary>
public interface IInventoryChangeBroadcaster
{
    void Publish(InventoryChange change);

    /// <summary>The changes of <paramref name="tenantId"/> from now on, until <paramref name="cancellationToken"/> ends the subscription.</summary>
    IAsyncEnumerable<InventoryChange> SubscribeAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>The clients connected to this instance (<see cref="KeyedFanOut{T}"/>).</summary>
public sealed class InProcessInventoryChangeBroadcaster : IInventoryChangeBroadcaster
{
    private readonly KeyedFanOut<InventoryChange> _clients = new(clientBuffer: 64);

    public int SubscriberCount(string tenantId) => _clients.SubscriberCount(tenantId);

    public void Publish(InventoryChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _clients.Publish(change.TenantId, change);
    }

    public IAsyncEnumerable<InventoryChange> SubscribeAsync(string tenantId, CancellationToken cancellationToken) => _clients.SubscribeAsync(tenantId, cancellationToken);
}
