using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.Telemetry;

/// <summary>The kernel's <see cref="IVehicleConditions"/> answered from this module's latest-state and risk-event stores.</summary>
public sealed class TelemetryVehicleConditions(ITelemetryStateStore states, IRiskEventStore riskEvents) : IVehicleConditions
{
    public async Task<VehicleCondition?> GetLatestAsync(string tenantId, string vin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vin);
        var state = await states.GetAsync(vin.Trim().ToUpperInvariant(), cancellationToken).ConfigureAwait(false);
        return state is not null && string.Equals(state.TenantId, tenantId, StringComparison.Ordinal)
            ? new VehicleCondition(state.Vin, state.TenantId, state.HasReading, state.SpeedKmh, state.OdometerKm, state.FirmwareVersion, state.LastReadingAt)
            : null;
    }

    public async Task<IReadOnlyList<ServiceDue>> ServiceDueAsync(string tenantId, string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vin);
        var events = await riskEvents.QueryAsync(vin.Trim().ToUpperInvariant(), from, to, cancellationToken).ConfigureAwait(false);
        return [.. events
            .Where(e => string.Equals(e.TenantId, tenantId, StringComparison.Ordinal) && e.Rule == RiskRules.MaintenanceDue)
            .OrderBy(e => e.OccurredAt)
            .Select(e => new ServiceDue(e.OccurredAt, e.Detail))];
    }

    public async Task<IReadOnlyList<FaultCode>> FaultCodesAsync(string tenantId, string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vin);
        var events = await riskEvents.QueryAsync(vin.Trim().ToUpperInvariant(), from, to, cancellationToken).ConfigureAwait(false);

        // The event id ends with the code ("{reading}-P0301"): one event per episode of a code.
        return [.. events
            .Where(e => string.Equals(e.TenantId, tenantId, StringComparison.Ordinal) && e.Rule == RiskRules.DiagnosticTroubleCode)
            .OrderBy(e => e.OccurredAt)
            .Select(e => new FaultCode(e.OccurredAt, e.EventId[(e.EventId.LastIndexOf('-') + 1)..], e.Detail))];
    }
}
