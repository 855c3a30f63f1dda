using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.LiveUpdates;
using ServerlessMobility.Showroom.Search;
using ServerlessMobility.Showroom.Storage;

namespace ServerlessMobility.Showroom.Inventory;

/// <summary>
/// After a write is committed: the search index takes the vehicle in and live clients of the dealership hear of it.
/// Both happen after the commit, so a failed write is never seen by either.
/// </summary>
public sealed class CommittedInventoryChanges(IVehicleSearch search, IInventoryChangeBroadcaster broadcaster, TimeProvider time)
{
    public async Task PublishAsync(InventoryChangeKind kind, InventoryVehicle vehicle, VehicleStatus? previousStatus)
    {
        ArgumentNullException.ThrowIfNull(vehicle);

        // Not the request's token: once the write is in Cosmos the index must follow, even if the caller has gone.
        await search.IndexAsync(vehicle, CancellationToken.None);
        broadcaster.Publish(new InventoryChange(kind, vehicle.TenantId, vehicle.Vin, vehicle.Status, previousStatus, vehicle.Version, time.GetUtcNow(), InventoryVehicleView.Of(vehicle)));
    }
}

/// <summary>
/// Status changes of stock vehicles, for the status route and for other flows of the showroom: lead conversion reserves
/// the car for the lead through <see cref="ReserveForLeadAsync"/>. Each change is decided on the vehicle as stored and
/// stored only if nobody wrote in between (ETag, retried), so of two leads racing for one car exactly one gets it.
/// </summary>
public sealed class InventoryReservations(ITenantRepository<InventoryVehicle> inventory, CommittedInventoryChanges changes, TimeProvider time)
    : ServerlessMobility.Showroom.Leads.IShowroomVehicleReservation
{
    /// <summary>A lead's conversion to a sale holds the car (by VIN) for that lead; the reference is stable, so a retried conversion answers the same.</summary>
    async Task<string> ServerlessMobility.Showroom.Leads.IShowroomVehicleReservation.ReserveForSaleAsync(string tenantId, string vehicleId, string leadId, CancellationToken cancellationToken)
    {
        var vehicle = await ReserveForLeadAsync(tenantId, vehicleId, leadId, reservedBy: "lead-conversion", cancellationToken);
        return $"inventory:{vehicle.Id}:lead:{leadId}";
    }

    /// <summary>
    /// Reserves the vehicle for the lead. Reserving again for the same lead changes nothing (a retried conversion).
    /// </summary>
    /// <exception cref="ResourceNotFoundException">The dealership has no vehicle with that VIN.</exception>
    /// <exception cref="ConflictException">The vehicle is reserved for another lead or a sale, sold, or a demo car.</exception>
    public Task<InventoryVehicle> ReserveForLeadAsync(string tenantId, string vin, string leadId, string reservedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leadId);
        return ChangeStatusAsync(tenantId, vin, VehicleStatus.Reserved, reservedBy, leadId, null, cancellationToken);
    }

    /// <summary>Moves the vehicle to <paramref name="to"/> along <see cref="VehicleLifecycle"/> (see <see cref="InventoryVehicle.MoveTo"/>).</summary>
    public async Task<InventoryVehicle> ChangeStatusAsync(string tenantId, string vin, VehicleStatus to, string by, string? leadId, string? saleId,
        CancellationToken cancellationToken = default)
    {
        VehicleStatus? previous = null;
        var (vehicle, changed) = await inventory.UpdateIfChangedAsync(tenantId, vin, v =>
        {
            previous = v.Status;
            return v.MoveTo(to, by, time.GetUtcNow(), leadId, saleId);
        }, "Vehicle", cancellationToken);
        if (changed)
        {
            await changes.PublishAsync(InventoryChangeKind.StatusChanged, vehicle, previous);
        }

        return vehicle;
    }
}
