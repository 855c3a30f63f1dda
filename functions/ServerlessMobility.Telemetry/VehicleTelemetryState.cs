namespace ServerlessMobility.Telemetry;

/// <summary>
/// Everything the pipeline keeps per vehicle, written once per vehicle per batch: the latest state the
/// API shows, the per-partition high-water marks and recent message ids that make replays harmless,
/// the rule episodes, and today's running aggregate.
/// </summary>
public sealed class VehicleTelemetryState
{
    public required string Vin { get; init; }

    public string TenantId { get; set; } = string.Empty;

    public double Lat { get; set; }

    public double Lon { get; set; }

    public double SpeedKmh { get; set; }

    public double Heading { get; set; }

    public double OdometerKm { get; set; }

    public double? BatteryPercent { get; set; }

    public double? FuelPercent { get; set; }

    public bool Ignition { get; set; }

    public IReadOnlyList<string> Dtcs { get; set; } = [];

    public string? FirmwareVersion { get; set; }

    /// <summary>The vehicle's own timestamp of the latest reading.</summary>
    public DateTimeOffset LastReadingAt { get; set; }

    /// <summary>When the platform last received a message from the vehicle (enqueued time).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public bool HasReading { get; set; }

    public long MessageCount { get; set; }

    /// <summary>Highest sequence number processed per partition (Event Hubs sequence numbers are per partition).</summary>
    public Dictionary<string, long> HighWaterMarks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Last message ids, oldest first, to drop device-side resends that got a new sequence number.</summary>
    public List<string> RecentMessageIds { get; set; } = [];

    public RuleState Rules { get; set; } = new();

    public DailyAggregate? Today { get; set; }

    public VehicleTelemetryState Clone()
    {
        var copy = (VehicleTelemetryState)MemberwiseClone();
        copy.HighWaterMarks = new Dictionary<string, long>(HighWaterMarks, StringComparer.Ordinal);
        copy.RecentMessageIds = [.. RecentMessageIds];
        copy.Rules = Rules.Clone();
        copy.Today = Today is null ? null : Today with { };
        return copy;
    }
}

/// <summary>Open violation episodes per rule: an episode raises one event and stays open until it ends.</summary>
public sealed class RuleState
{
    public DateTimeOffset? OverSpeedSince { get; set; }

    public bool SpeedingRaised { get; set; }

    public bool LowBatteryRaised { get; set; }

    public bool OfflineRaised { get; set; }

    public long? MaintenanceMilestone { get; set; }

    public List<string> ActiveDtcs { get; set; } = [];

    /// <summary>Geofence id -> inside (true) or outside (false) at the last reading.</summary>
    public Dictionary<string, bool> GeofenceInside { get; set; } = new(StringComparer.Ordinal);

    public RuleState Clone()
    {
        var copy = (RuleState)MemberwiseClone();
        copy.ActiveDtcs = [.. ActiveDtcs];
        copy.GeofenceInside = new Dictionary<string, bool>(GeofenceInside, StringComparer.Ordinal);
        return copy;
    }
}

/// <summary>A vehicle's totals for one UTC day: what the trips endpoint returns.</summary>
public sealed record DailyAggregate(
    string Vin,
    DateOnly Date,
    double DistanceKm,
    double MaxSpeedKmh,
    double DrivingSeconds,
    long MessageCount);

/// <summary>A fact for the risk side of the business (rent-to-own, maintenance gating).</summary>
/// <param name="EventId">Deterministic from vehicle, rule and the message that opened the episode, so a replay overwrites instead of duplicating.</param>
public sealed record RiskEvent(
    string EventId,
    string Vin,
    string TenantId,
    string Rule,
    string Kind,
    DateTimeOffset OccurredAt,
    double? Lat,
    double? Lon,
    string Detail);

public static class RiskRules
{
    public const string Speeding = "speeding";
    public const string GeofenceExit = "geofence-exit";
    public const string GeofenceEntry = "geofence-entry";
    public const string Offline = "offline";
    public const string LowBattery = "low-battery";
    public const string MaintenanceDue = "maintenance-due";
    public const string DiagnosticTroubleCode = "dtc";
}

/// <summary>Thresholds of the risk rules, bound from configuration section "Telemetry:Rules".</summary>
public sealed class RiskRuleOptions
{
    public const string SectionName = "Telemetry:Rules";

    public double SpeedLimitKmh { get; set; } = 130;

    /// <summary>How long the speed must stay above the limit before it is an episode.</summary>
    public TimeSpan SpeedingMinDuration { get; set; } = TimeSpan.FromSeconds(30);

    public double LowBatteryPercent { get; set; } = 15;

    /// <summary>The battery must recover this far above the threshold to end the episode (no flapping).</summary>
    public double LowBatteryHysteresisPercent { get; set; } = 5;

    public TimeSpan OfflineThreshold { get; set; } = TimeSpan.FromMinutes(30);

    public double MaintenanceIntervalKm { get; set; } = 15_000;

    /// <summary>A gap longer than this between readings is not counted as driving time.</summary>
    public TimeSpan MaxDrivingGap { get; set; } = TimeSpan.FromMinutes(5);
}
