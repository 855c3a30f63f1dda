using System.Collections.Concurrent;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Testing.Showroom;

/// <summary>
/// Stands in for the showroom inventory's reservations until they are wired: holds each vehicle for the first lead that asks,
/// answers the same reference to that lead again and a conflict to any other, and remembers every call.
/// </summary>
public sealed class RecordingVehicleReservations : IShowroomVehicleReservation
{
    private readonly ConcurrentDictionary<(string Tenant, string Vehicle), string> _heldFor = new();

    public ConcurrentQueue<(string TenantId, string VehicleId, string LeadId)> Calls { get; } = new();

    public Task<string> ReserveForSaleAsync(string tenantId, string vehicleId, string leadId, CancellationToken cancellationToken)
    {
        Calls.Enqueue((tenantId, vehicleId, leadId));
        var holder = _heldFor.GetOrAdd((tenantId, vehicleId), leadId);
        return string.Equals(holder, leadId, StringComparison.Ordinal)
            ? Task.FromResult($"res-{vehicleId}-{leadId}")
            : throw new ConflictException($"Vehicle '{vehicleId}' is reserved for another sale.");
    }
}
