using System.Globalization;

namespace ServerlessMobility.Telemetry;

/// <summary>
/// Applies one reading to a vehicle's state: aggregates, latest state and the risk rules. Pure: no I/O
/// and no clock, so every rule is unit-testable and a replay computes the same events.
/// </summary>
public static class RiskRuleEngine
{
    public static void Apply(
        VehicleTelemetryState state,
        TelemetryMessage message,
        TelemetryReading reading,
        IReadOnlyList<Geofence> geofences,
        RiskRuleOptions options,
        List<RiskEvent> events,
        List<DailyAggregate> closedDays)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(geofences);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(closedDays);

        state.LastSeenAt = message.EnqueuedTime > state.LastSeenAt ? message.EnqueuedTime : state.LastSeenAt;
        state.Rules.OfflineRaised = false;

        // A reading older than the one we hold (a late retry) must not move the vehicle backwards.
        if (state.HasReading && reading.Timestamp < state.LastReadingAt)
        {
            return;
        }

        UpdateAggregate(state, reading, options, closedDays);
        var id = string.Create(CultureInfo.InvariantCulture, $"{state.Vin}-{message.PartitionId}-{message.SequenceNumber}");
        var rules = state.Rules;

        // Speeding: the episode opens once the speed has stayed over the limit for the minimum duration.
        if (reading.SpeedKmh > options.SpeedLimitKmh)
        {
            rules.OverSpeedSince ??= reading.Timestamp;
            if (!rules.SpeedingRaised && reading.Timestamp - rules.OverSpeedSince.Value >= options.SpeedingMinDuration)
            {
                rules.SpeedingRaised = true;
                events.Add(Event(state, id, RiskRules.Speeding, reading, $"Speed {reading.SpeedKmh:0.#} km/h over the limit of {options.SpeedLimitKmh:0.#} km/h since {rules.OverSpeedSince.Value:O}."));
            }
        }
        else
        {
            rules.OverSpeedSince = null;
            rules.SpeedingRaised = false;
        }

        foreach (var fence in geofences)
        {
            var inside = fence.Contains(reading.Lat, reading.Lon);
            var known = rules.GeofenceInside.TryGetValue(fence.Id, out var wasInside);
            rules.GeofenceInside[fence.Id] = inside;

            // The first reading only raises when it already breaks the zone's purpose.
            var exited = known ? wasInside && !inside : !inside && fence.Kind == GeofenceKind.Allowed;
            var entered = known ? !wasInside && inside : inside && fence.Kind == GeofenceKind.Forbidden;
            if (exited)
            {
                events.Add(Event(state, id + "-" + fence.Id, RiskRules.GeofenceExit, reading, $"Left {fence.Kind.ToString().ToLowerInvariant()} zone '{fence.Name}' ({fence.Id})."));
            }
            else if (entered)
            {
                events.Add(Event(state, id + "-" + fence.Id, RiskRules.GeofenceEntry, reading, $"Entered {fence.Kind.ToString().ToLowerInvariant()} zone '{fence.Name}' ({fence.Id})."));
            }
        }

        if (reading.BatteryPercent is { } battery)
        {
            if (battery < options.LowBatteryPercent && !rules.LowBatteryRaised)
            {
                rules.LowBatteryRaised = true;
                events.Add(Event(state, id, RiskRules.LowBattery, reading, $"Battery at {battery:0.#} % (threshold {options.LowBatteryPercent:0.#} %)."));
            }
            else if (battery >= options.LowBatteryPercent + options.LowBatteryHysteresisPercent)
            {
                rules.LowBatteryRaised = false;
            }
        }

        if (options.MaintenanceIntervalKm > 0)
        {
            var milestone = (long)Math.Floor(reading.OdometerKm / options.MaintenanceIntervalKm);

            // The first reading sets the baseline: a vehicle joining the platform is not "due" for intervals it passed before.
            if (rules.MaintenanceMilestone is { } previous && milestone > previous)
            {
                events.Add(Event(state, id, RiskRules.MaintenanceDue, reading, $"Odometer {reading.OdometerKm:0} km passed the {milestone * options.MaintenanceIntervalKm:0} km maintenance interval."));
            }

            if (rules.MaintenanceMilestone is null || milestone > rules.MaintenanceMilestone)
            {
                rules.MaintenanceMilestone = milestone;
            }
        }

        foreach (var dtc in reading.Dtcs)
        {
            if (!rules.ActiveDtcs.Contains(dtc, StringComparer.Ordinal))
            {
                events.Add(Event(state, id + "-" + dtc, RiskRules.DiagnosticTroubleCode, reading, $"Diagnostic trouble code {dtc}."));
            }
        }

        // A code that is no longer reported closes its episode; if it comes back it is a new one.
        rules.ActiveDtcs = [.. reading.Dtcs.Distinct(StringComparer.Ordinal)];

        state.Lat = reading.Lat;
        state.Lon = reading.Lon;
        state.SpeedKmh = reading.SpeedKmh;
        state.Heading = reading.Heading;
        state.OdometerKm = reading.OdometerKm;
        state.BatteryPercent = reading.BatteryPercent;
        state.FuelPercent = reading.FuelPercent;
        state.Ignition = reading.Ignition;
        state.Dtcs = reading.Dtcs;
        state.FirmwareVersion = reading.FirmwareVersion ?? state.FirmwareVersion;
        state.LastReadingAt = reading.Timestamp;
        state.HasReading = true;
    }

    /// <summary>The periodic offline check: one event per silence, reset by the next message.</summary>
    public static RiskEvent? CheckOffline(VehicleTelemetryState state, DateTimeOffset now, RiskRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        if (!state.HasReading || state.Rules.OfflineRaised || now - state.LastSeenAt <= options.OfflineThreshold)
        {
            return null;
        }

        state.Rules.OfflineRaised = true;
        var id = string.Create(CultureInfo.InvariantCulture, $"{state.Vin}-offline-{state.LastSeenAt.UtcTicks}");
        return new RiskEvent(id, state.Vin, state.TenantId, RiskRules.Offline, RiskRules.Offline, now, state.Lat, state.Lon, $"No message since {state.LastSeenAt:O} (threshold {options.OfflineThreshold}).");
    }

    private static void UpdateAggregate(VehicleTelemetryState state, TelemetryReading reading, RiskRuleOptions options, List<DailyAggregate> closedDays)
    {
        var day = DateOnly.FromDateTime(reading.Timestamp.UtcDateTime);
        var today = state.Today;
        if (today is null || today.Date != day)
        {
            if (today is not null)
            {
                closedDays.Add(today);
            }

            today = new DailyAggregate(state.Vin, day, 0, 0, 0, 0);
        }

        double distance = 0;
        double driving = 0;
        if (state.HasReading)
        {
            var delta = reading.OdometerKm - state.OdometerKm;
            if (delta > 0)
            {
                distance = delta;
            }

            var gap = reading.Timestamp - state.LastReadingAt;
            if (state.Ignition && (state.SpeedKmh > 0 || reading.SpeedKmh > 0) && gap <= options.MaxDrivingGap)
            {
                driving = gap.TotalSeconds;
            }
        }

        state.Today = today with
        {
            DistanceKm = today.DistanceKm + distance,
            MaxSpeedKmh = Math.Max(today.MaxSpeedKmh, reading.SpeedKmh),
            DrivingSeconds = today.DrivingSeconds + driving,
            MessageCount = today.MessageCount + 1,
        };
    }

    private static RiskEvent Event(VehicleTelemetryState state, string id, string rule, TelemetryReading reading, string detail) =>
        new(id + "-" + rule, state.Vin, state.TenantId, rule, rule, reading.Timestamp, reading.Lat, reading.Lon, detail);
}
