using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMobility.Core.Telemetry;

/// <summary>
/// One message as the ingestion host hands it over: IoT Hub's Event Hubs-compatible endpoint in Azure
/// (EventData with iothub-connection-device-id, enqueued time, partition and sequence number), the
/// embedded broker locally. No SDK type crosses this line.
/// </summary>
public sealed record TelemetryMessage(
    string DeviceId,
    DateTimeOffset EnqueuedTime,
    string PartitionId,
    long SequenceNumber,
    string? MessageId,
    IReadOnlyDictionary<string, string> Properties,
    ReadOnlyMemory<byte> Body);

/// <summary>A validated reading from a message body (schemaVersion 1).</summary>
public sealed record TelemetryReading(
    int SchemaVersion,
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
    DateTimeOffset Timestamp);

/// <summary>The wire shape of a body; every field nullable so validation can name what is missing.</summary>
public sealed class TelemetryBody
{
    public int? SchemaVersion { get; set; }

    public double? Lat { get; set; }

    public double? Lon { get; set; }

    public double? SpeedKmh { get; set; }

    public double? Heading { get; set; }

    public double? OdometerKm { get; set; }

    public double? BatteryPercent { get; set; }

    public double? FuelPercent { get; set; }

    public bool? Ignition { get; set; }

    public IReadOnlyList<string>? Dtcs { get; set; }

    public string? FirmwareVersion { get; set; }

    public DateTimeOffset? Timestamp { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TelemetryBody))]
[JsonSerializable(typeof(VehicleTelemetryState))]
[JsonSerializable(typeof(RiskEvent))]
[JsonSerializable(typeof(Geofence))]
[JsonSerializable(typeof(List<Geofence>))]
[JsonSerializable(typeof(ArchivedMessage))]
[JsonSerializable(typeof(DeadLetter))]
public sealed partial class TelemetryJsonContext : JsonSerializerContext;

/// <summary>Parses and validates a body. A malformed body yields a reason, never an exception.</summary>
public static class TelemetryParser
{
    public const int CurrentSchemaVersion = 1;

    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out TelemetryReading? reading, out string? reason)
    {
        reading = null;
        TelemetryBody? body;
        try
        {
            body = JsonSerializer.Deserialize(utf8Json, TelemetryJsonContext.Default.TelemetryBody);
        }
        catch (JsonException ex)
        {
            reason = "Body is not valid JSON: " + ex.Message;
            return false;
        }

        if (body is null)
        {
            reason = "Body is empty or null.";
            return false;
        }

        reason = Validate(body);
        if (reason is not null)
        {
            return false;
        }

        reading = new TelemetryReading(
            body.SchemaVersion!.Value,
            body.Lat!.Value,
            body.Lon!.Value,
            body.SpeedKmh!.Value,
            body.Heading ?? 0,
            body.OdometerKm!.Value,
            body.BatteryPercent,
            body.FuelPercent,
            body.Ignition ?? false,
            body.Dtcs ?? [],
            body.FirmwareVersion,
            body.Timestamp!.Value.ToUniversalTime());
        return true;
    }

    private static string? Validate(TelemetryBody body) => body switch
    {
        { SchemaVersion: null } => "schemaVersion is required.",
        { SchemaVersion: not CurrentSchemaVersion } => $"schemaVersion {body.SchemaVersion} is not supported.",
        { Lat: null or < -90 or > 90 } => "lat is required and must be within [-90, 90].",
        { Lon: null or < -180 or > 180 } => "lon is required and must be within [-180, 180].",
        { SpeedKmh: null or < 0 or > 500 } => "speedKmh is required and must be within [0, 500].",
        { OdometerKm: null or < 0 } => "odometerKm is required and must not be negative.",
        { Timestamp: null } => "timestamp is required.",
        { BatteryPercent: < 0 or > 100 } => "batteryPercent must be within [0, 100].",
        { FuelPercent: < 0 or > 100 } => "fuelPercent must be within [0, 100].",
        _ when double.IsNaN(body.Lat.Value) || double.IsNaN(body.Lon.Value) => "lat/lon must be numbers.",
        _ => null,
    };
}
