using System.Collections.Concurrent;
using ServerlessMobility.Core.Vehicles;

namespace ServerlessMobility.Core.RentToOwn.Simulation;

/// <summary>
/// Used only when the host has no real vehicle command channel (the broker-backed one replaces it):
/// answers every direct method with 200 and remembers it, so flows can be tried end to end.
/// </summary>
public sealed class SimulatedVehicleCommandChannel : IVehicleCommandChannel
{
    private readonly ConcurrentQueue<(string DeviceId, string Method)> _invocations = new();

    public IReadOnlyCollection<(string DeviceId, string Method)> Invocations => _invocations;

    public Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default)
    {
        _invocations.Enqueue((deviceId, methodName));
        return Task.FromResult(new DirectMethodResult(200, "{\"accepted\":true}"));
    }
}
