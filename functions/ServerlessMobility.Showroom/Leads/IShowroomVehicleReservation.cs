namespace ServerlessMobility.Showroom.Leads;

/// <summary>
/// Holds a showroom vehicle for the sale a lead became. Answered by the showroom's inventory
/// (<see cref="Inventory.InventoryReservations"/>, by VIN); kept as an interface so the leads' tests can record the calls.
/// </summary>
public interface IShowroomVehicleReservation
{
    /// <summary>
    /// Reserves <paramref name="vehicleId"/> of the dealership for the sale to <paramref name="leadId"/>. Asking again for the
    /// same lead and vehicle answers the same reservation (conversion retries it).
    /// </summary>
    /// <returns>The inventory's reference of the reservation.</returns>
    /// <exception cref="Platform.Http.ResourceNotFoundException">The dealership has no such vehicle.</exception>
    /// <exception cref="Platform.Http.ConflictException">The vehicle is reserved or sold for another lead.</exception>
    Task<string> ReserveForSaleAsync(string tenantId, string vehicleId, string leadId, CancellationToken cancellationToken);
}
