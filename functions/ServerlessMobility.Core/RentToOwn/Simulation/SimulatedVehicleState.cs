using System.Collections.Concurrent;
using ServerlessMobility.Core.RentToOwn.Collection;

namespace ServerlessMobility.Core.RentToOwn.Simulation;

/// <summary>
/// Latest motion per vehicle, set by tests or the demo; replaced by the telemetry pipeline's
/// last-known state once that slice provides an adapter for <see cref="IVehicleStateReader"/>.
/// </summary>
public sealed class SimulatedVehicleState : IVehicleStateReader
{
    private readonly ConcurrentDictionary<(string Tenant, string Vehicle), VehicleMotion> _latest = new();

    public void Set(string tenantId, string vehicleId, VehicleMotion motion) => _latest[(tenantId, vehicleId)] = motion;

    public Task<VehicleMotion?> GetLatestAsync(string tenantId, string vehicleId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_latest.TryGetValue((tenantId, vehicleId), out var motion) ? motion : null);
}
