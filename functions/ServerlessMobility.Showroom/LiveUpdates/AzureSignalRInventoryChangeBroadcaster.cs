using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;

namespace ServerlessMobility.Showroom.LiveUpdates;

/// <summary>
/// Every change reaches this instance's server-sent event streams at once, and is queued for the dealership's Azure
/// SignalR groups: the whole change for its staff, what <see cref="InventoryChange.ForCustomer"/> leaves of it for its
/// customers (nothing when it is no business of theirs).
/// </summary>
public sealed class AzureSignalRInventoryChangeBroadcaster(InProcessInventoryChangeBroadcaster instance, AzureSignalROutbox outbox, AzureSignalRClient signalR)
    : IInventoryChangeBroadcaster
{
    public void Publish(InventoryChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        instance.Publish(change);
        Send(ShowroomLiveGroups.InventoryStaff(change.TenantId), change);
        if (change.ForCustomer() is { } forCustomers)
        {
            Send(ShowroomLiveGroups.InventoryCustomers(change.TenantId), forCustomers);
        }
    }

    public IAsyncEnumerable<InventoryChange> SubscribeAsync(string tenantId, CancellationToken cancellationToken) => instance.SubscribeAsync(tenantId, cancellationToken);

    private void Send(string group, InventoryChange change) =>
        outbox.Enqueue(new LiveDelivery($"{change.Kind} {change.Vin} v{change.Version} to {group}",
            ct => signalR.SendToGroupAsync(group, ShowroomLiveGroups.InventoryTarget, change, ct)));
}
