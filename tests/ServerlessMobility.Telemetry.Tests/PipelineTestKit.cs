using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Testing.Telemetry;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>A pipeline on in-memory stores with a fake clock, and a builder for messages.</summary>
internal sealed class PipelineTestKit
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    public const string Vin = "WTEST000000000001";

    private long _sequence;

    public PipelineTestKit(RiskRuleOptions? options = null)
    {
        Options = options ?? new RiskRuleOptions { SpeedLimitKmh = 120, SpeedingMinDuration = TimeSpan.FromSeconds(30), LowBatteryPercent = 15, OfflineThreshold = TimeSpan.FromMinutes(30), MaintenanceIntervalKm = 15_000 };
        Pipeline = NewPipeline();
    }

    public InMemoryTelemetryStores Stores { get; } = new();

    public FakeTimeProvider Time { get; } = new(T0);

    public RiskRuleOptions Options { get; }

    public TelemetryPipeline Pipeline { get; private set; }

    /// <summary>A new pipeline instance on the same stores: what a host restart looks like.</summary>
    public void Restart() => Pipeline = NewPipeline();

    public static TelemetryBody Body(int second, double speed = 50, double odometer = 10_000, double? battery = 80, double lat = 48.137, double lon = 11.575, IReadOnlyList<string>? dtcs = null) => new()
    {
        SchemaVersion = 1,
        Lat = lat,
        Lon = lon,
        SpeedKmh = speed,
        Heading = 90,
        OdometerKm = odometer,
        BatteryPercent = battery,
        Ignition = true,
        Dtcs = dtcs ?? [],
        FirmwareVersion = "1.2.3",
        Timestamp = T0.AddSeconds(second),
    };

    public TelemetryMessage Message(TelemetryBody body, string vin = Vin, string? messageId = null, long? sequence = null, string partition = "0") =>
        Raw(JsonSerializer.SerializeToUtf8Bytes(body, TelemetryJsonContext.Default.TelemetryBody), vin, messageId, sequence, partition, body.Timestamp ?? T0);

    public TelemetryMessage Raw(byte[] body, string vin = Vin, string? messageId = null, long? sequence = null, string partition = "0", DateTimeOffset? enqueued = null)
    {
        var seq = sequence ?? Interlocked.Increment(ref _sequence);
        return new TelemetryMessage(vin, enqueued ?? T0, partition, seq, messageId ?? string.Create(CultureInfo.InvariantCulture, $"{vin}-{seq}"), new Dictionary<string, string>(), body);
    }

    private TelemetryPipeline NewPipeline() =>
        new(Stores, Stores, Stores, Stores, Stores, Stores, Stores, Stores, new VehicleStateBroadcaster(), Options, Time);
}
