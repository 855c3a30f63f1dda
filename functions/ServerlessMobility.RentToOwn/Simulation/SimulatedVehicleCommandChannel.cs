using System.Collections.Concurrent;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.RentToOwn.Simulation;

/// <summary>A direct method the simulated vehicle received, with the status it answered.</summary>
public sealed record SimulatedVehicleCommand(string DeviceId, string Method, string PayloadJson, int Status, DateTimeOffset At);

/// <summary>
/// Used only when the host has no real vehicle command channel (the broker-backed one replaces it):
/// answers every direct method with 200 and remembers it, so flows can be tried end to end. A vehicle
/// can be told to refuse its next commands (<see cref="RefuseNext"/>), as one that is offline or busy does.
/// </summary>
public sealed class SimulatedVehicleCommandChannel(TimeProvider time) : IVehicleCommandChannel
{
    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<SimulatedVehicleCommand> _commands = new();
    private readonly Dictionary<string, (int Left, int Status)> _refusals = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<SimulatedVehicleCommand> Commands => [.. _commands];

    public IReadOnlyList<SimulatedVehicleCommand> CommandsFor(string deviceId) =>
        [.. _commands.Where(c => string.Equals(c.DeviceId, deviceId, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The vehicle answers its next <paramref name="count"/> commands with <paramref name="status"/> (503: unreachable) instead of 200.</summary>
    public void RefuseNext(string deviceId, int count, int status = 503)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _refusals[deviceId] = (count, status);
        }
    }

    public Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default)
    {
        var status = 200;
        lock (_lock)
        {
            if (_refusals.TryGetValue(deviceId, out var refusal) && refusal.Left > 0)
            {
                status = refusal.Status;
                _refusals[deviceId] = (refusal.Left - 1, refusal.Status);
            }
        }

        _commands.Enqueue(new SimulatedVehicleCommand(deviceId, methodName, payloadJson, status, time.GetUtcNow()));
        return Task.FromResult(new DirectMethodResult(status, status == 200 ? "{\"accepted\":true}" : "{\"accepted\":false}"));
    }
}
