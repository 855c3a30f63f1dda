using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ServerlessMobility.Telemetry;

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

// Strict numbers: a device's "NaN" or "12" (a string) is malformed, never a number.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TelemetryBody))]
[JsonSerializable(typeof(VehicleTelemetryState))]
[JsonSerializable(typeof(RiskEvent))]
[JsonSerializable(typeof(Geofence))]
[JsonSerializable(typeof(List<Geofence>))]
[JsonSerializable(typeof(ArchivedMessage))]
[JsonSerializable(typeof(DeadLetter))]
public sealed partial class TelemetryJsonContext : JsonSerializerContext;

/// <summary>
/// The limits of everything a device controls, checked at the edge before anything is stored. Each value
/// either becomes part of a storage key, a table property or an event, so each has a length, a character
/// set and, for numbers, a finite range. The limits are documented in docs/telemetry.md.
/// </summary>
public static partial class TelemetryLimits
{
    /// <summary>IoT Hub's maximum device-to-cloud message size.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>IoT Hub's limit for a message id.</summary>
    public const int MaxMessageIdLength = 128;

    public const int MaxProperties = 32;

    public const int MaxPropertyKeyLength = 128;

    public const int MaxPropertyValueLength = 1024;

    public const int MaxDtcs = 32;

    public const int MaxFirmwareVersionLength = 64;

    public const double MaxSpeedKmh = 500;

    /// <summary>Ten million km: more than any vehicle drives, and far inside what a double holds exactly.</summary>
    public const double MaxOdometerKm = 10_000_000;

    /// <summary>How far a reading's own timestamp may lie ahead of the time the hub received it (device clock skew).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(1);

    /// <summary>No reading is older than this (devices buffer while offline, not for decades).</summary>
    public static readonly DateTimeOffset EarliestTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The device id is the VIN: 17 letters and digits without I, O and Q (ISO 3779).</summary>
    [GeneratedRegex(Platform.Vehicles.VinFormat.Pattern)]
    public static partial Regex DeviceIdPattern();

    /// <summary>IoT Hub's message id alphabet: ASCII letters, digits and <c>-:.+%_#*?!(),=@;$'</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-:.+%_#*?!(),=@;$']{1,128}$")]
    public static partial Regex MessageIdPattern();

    /// <summary>
    /// SAE J2012 / ISO 15031-6: system letter (P powertrain, C chassis, B body, U network), a digit 0-3 and
    /// three hex digits, e.g. P0301; optionally the two hex digits of a failure type byte (UDS, e.g. P030113).
    /// </summary>
    [GeneratedRegex("^[PCBU][0-3][0-9A-F]{3}([0-9A-F]{2})?$")]
    public static partial Regex DtcPattern();

    /// <summary>A firmware version: letters, digits, '.', '_', '+' and '-', at most 64 (semantic versions with build metadata fit).</summary>
    [GeneratedRegex("^[A-Za-z0-9._+-]{1,64}$")]
    public static partial Regex FirmwareVersionPattern();

    /// <summary>Why the envelope (what the hub stamped from the device's connection and topic) is unusable, or null.</summary>
    public static string? ValidateEnvelope(TelemetryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.DeviceId))
        {
            return "The message has no device id.";
        }

        if (!DeviceIdPattern().IsMatch(message.DeviceId))
        {
            return "The device id must be a VIN: 17 letters and digits without I, O and Q.";
        }

        if (message.MessageId is { Length: > 0 } id && !MessageIdPattern().IsMatch(id))
        {
            return $"The message id must be 1-{MaxMessageIdLength} ASCII letters, digits or -:.+%_#*?!(),=@;$'.";
        }

        if (message.Body.Length > MaxBodyBytes)
        {
            return $"The body exceeds {MaxBodyBytes} bytes.";
        }

        if (message.Properties.Count > MaxProperties)
        {
            return $"At most {MaxProperties} application properties are accepted.";
        }

        foreach (var (key, value) in message.Properties)
        {
            if (key.Length is 0 or > MaxPropertyKeyLength || (value?.Length ?? 0) > MaxPropertyValueLength || HasControl(key) || HasControl(value))
            {
                return $"Application property names are 1-{MaxPropertyKeyLength} characters, values at most {MaxPropertyValueLength}, without control characters.";
            }
        }

        return null;
    }

    private static bool HasControl(string? value) => value is not null && value.Any(char.IsControl);
}

/// <summary>Parses and validates a body. A malformed body yields a reason, never an exception.</summary>
public static class TelemetryParser
{
    public const int CurrentSchemaVersion = 1;

    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out TelemetryReading? reading, out string? reason) =>
        TryParse(utf8Json, receivedAt: null, out reading, out reason);

    /// <summary>Parses a body; with <paramref name="receivedAt"/> the timestamp may lie at most <see cref="TelemetryLimits.MaxClockSkew"/> after it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, DateTimeOffset? receivedAt, out TelemetryReading? reading, out string? reason)
    {
        reading = null;
        if (utf8Json.Length > TelemetryLimits.MaxBodyBytes)
        {
            reason = $"The body exceeds {TelemetryLimits.MaxBodyBytes} bytes.";
            return false;
        }

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

        reason = Validate(body) ?? ValidateStrings(body) ?? ValidateTimestamp(body.Timestamp!.Value, receivedAt);
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
            body.Dtcs is { } dtcs ? [.. dtcs.Distinct(StringComparer.Ordinal)] : [],
            body.FirmwareVersion,
            body.Timestamp!.Value.ToUniversalTime());
        return true;
    }

    // Every range is closed and finite: NaN fails each comparison below, and the JSON options are strict
    // (numbers only, no "NaN"/"Infinity" strings), so a non-finite value cannot get through.
    private static string? Validate(TelemetryBody body) => body switch
    {
        { SchemaVersion: null } => "schemaVersion is required.",
        { SchemaVersion: not CurrentSchemaVersion } => $"schemaVersion {body.SchemaVersion} is not supported.",
        { Lat: null } or { Lat: not (>= -90 and <= 90) } => "lat is required and must be within [-90, 90].",
        { Lon: null } or { Lon: not (>= -180 and <= 180) } => "lon is required and must be within [-180, 180].",
        { SpeedKmh: null } or { SpeedKmh: not (>= 0 and <= TelemetryLimits.MaxSpeedKmh) } => "speedKmh is required and must be within [0, 500].",
        { OdometerKm: null } or { OdometerKm: not (>= 0 and <= TelemetryLimits.MaxOdometerKm) } => "odometerKm is required and must be within [0, 10,000,000].",
        { Timestamp: null } => "timestamp is required.",
        { Heading: not null and not (>= 0 and <= 360) } => "heading must be within [0, 360].",
        { BatteryPercent: not null and not (>= 0 and <= 100) } => "batteryPercent must be within [0, 100].",
        { FuelPercent: not null and not (>= 0 and <= 100) } => "fuelPercent must be within [0, 100].",
        _ => null,
    };

    private static string? ValidateStrings(TelemetryBody body)
    {
        if (body.Dtcs is { } dtcs)
        {
            if (dtcs.Count > TelemetryLimits.MaxDtcs)
            {
                return $"dtcs holds at most {TelemetryLimits.MaxDtcs} codes.";
            }

            if (dtcs.Any(code => code is null || !TelemetryLimits.DtcPattern().IsMatch(code)))
            {
                return "dtcs must be SAE J2012 codes such as P0301 (a letter P, C, B or U, a digit 0-3, three upper-case hex digits, optionally two more for the failure type).";
            }
        }

        if (body.FirmwareVersion is { } firmware && !TelemetryLimits.FirmwareVersionPattern().IsMatch(firmware))
        {
            return $"firmwareVersion must be 1-{TelemetryLimits.MaxFirmwareVersionLength} letters, digits, '.', '_', '+' or '-'.";
        }

        return null;
    }

    private static string? ValidateTimestamp(DateTimeOffset timestamp, DateTimeOffset? receivedAt)
    {
        if (timestamp < TelemetryLimits.EarliestTimestamp)
        {
            return "timestamp must not be before 2000-01-01.";
        }

        if (receivedAt is { } received && timestamp > received + TelemetryLimits.MaxClockSkew)
        {
            return "timestamp must not be more than an hour after the time the message was received.";
        }

        return null;
    }
}
