using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ServerlessMobility.Telemetry;

/// <summary>What the API and the live stream show of a vehicle.</summary>
public sealed record VehicleStateView(
    string Vin,
    double Lat,
    double Lon,
    double SpeedKmh,
    double Heading,
    double OdometerKm,
    double? BatteryPercent,
    double? FuelPercent,
    bool Ignition,
    IReadOnlyList<string> Dtcs,
    string? FirmwareVersion,
    DateTimeOffset LastReadingAt,
    DateTimeOffset LastSeenAt)
{
    public static VehicleStateView From(VehicleTelemetryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Vin, state.Lat, state.Lon, state.SpeedKmh, state.Heading, state.OdometerKm, state.BatteryPercent, state.FuelPercent, state.Ignition, state.Dtcs, state.FirmwareVersion, state.LastReadingAt, state.LastSeenAt);
    }
}

/// <summary>
/// In-process fan-out of state updates to live streams (SSE). Each subscriber has a small bounded
/// channel that drops the oldest update: a slow browser sees the latest state, never stalls ingestion.
/// In Azure with several instances this would be SignalR or Web PubSub; the stream endpoint stays the same.
/// </summary>
public sealed class VehicleStateBroadcaster
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<VehicleStateView>, byte>> _subscribers = new(StringComparer.Ordinal);

    public int SubscriberCount(string vin) => _subscribers.TryGetValue(vin, out var set) ? set.Count : 0;

    public void Publish(VehicleStateView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_subscribers.TryGetValue(view.Vin, out var set))
        {
            foreach (var channel in set.Keys)
            {
                channel.Writer.TryWrite(view);
            }
        }
    }

    public async IAsyncEnumerable<VehicleStateView> SubscribeAsync(string vin, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<VehicleStateView>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var set = _subscribers.GetOrAdd(vin, _ => new ConcurrentDictionary<Channel<VehicleStateView>, byte>());
        set[channel] = 0;
        try
        {
            await foreach (var view in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return view;
            }
        }
        finally
        {
            set.TryRemove(channel, out _);
        }
    }
}
