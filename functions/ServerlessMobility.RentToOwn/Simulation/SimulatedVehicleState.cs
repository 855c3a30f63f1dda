using System.Collections.Concurrent;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Simulation;

/// <summary>One look at a vehicle's motion: when, and what was answered (null: nothing known).</summary>
public sealed record SimulatedMotionRead(string TenantId, string VehicleId, VehicleMotion? Motion, DateTimeOffset At);

/// <summary>
/// Latest motion per vehicle, set by tests or the demo, with every read remembered
/// (<see cref="ReadsOf"/>) so a caller can see how often a vehicle was looked at. Stands in for the
/// telemetry slice's reader where no vehicle sends telemetry; never part of a production wiring.
/// </summary>
public sealed class SimulatedVehicleState(TimeProvider time) : IVehicleStateReader
{
    private readonly ConcurrentDictionary<(string Tenant, string Vehicle), VehicleMotion> _latest = new();
    private readonly ConcurrentQueue<SimulatedMotionRead> _reads = new();

    public void Set(string tenantId, string vehicleId, VehicleMotion motion) => _latest[(tenantId, vehicleId)] = motion;

    /// <summary>The vehicle is standing (speed 0) or moving at <paramref name="speedKmh"/> from now on.</summary>
    public void Set(string tenantId, string vehicleId, double speedKmh) => Set(tenantId, vehicleId, new VehicleMotion(speedKmh, time.GetUtcNow()));

    public IReadOnlyList<SimulatedMotionRead> ReadsOf(string tenantId, string vehicleId) =>
        [.. _reads.Where(r => r.TenantId == tenantId && r.VehicleId == vehicleId)];

    public Task<VehicleMotion?> GetLatestAsync(string tenantId, string vehicleId, CancellationToken cancellationToken = default)
    {
        var motion = _latest.TryGetValue((tenantId, vehicleId), out var latest) ? latest : null;
        _reads.Enqueue(new SimulatedMotionRead(tenantId, vehicleId, motion, time.GetUtcNow()));
        return Task.FromResult(motion);
    }
}
