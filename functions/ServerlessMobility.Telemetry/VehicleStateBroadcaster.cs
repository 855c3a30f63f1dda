using ServerlessMobility.Platform.LiveUpdates;

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
    private readonly KeyedFanOut<VehicleStateView> _clients = new(clientBuffer: 16);

    public int SubscriberCount(string vin) => _clients.SubscriberCount(vin);

    public void Publish(VehicleStateView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        _clients.Publish(view.Vin, view);
    }

    public IAsyncEnumerable<VehicleStateView> SubscribeAsync(string vin, CancellationToken cancellationToken) => _clients.SubscribeAsync(vin, cancellationToken);
}
