namespace ServerlessMobility.Platform.Vehicles;

/// <summary>A vehicle's latest reading as the product lines need it (motion for immobilization, firmware for features).</summary>
/// <param name="HasReading">False while the vehicle has only been registered or reported its firmware: no position, speed or odometer yet.</param>
public sealed record VehicleCondition(
    string Vin,
    string TenantId,
    bool HasReading,
    double SpeedKmh,
    double OdometerKm,
    string? FirmwareVersion,
    DateTimeOffset LastReadingAt);

/// <summary>A service interval the vehicle's odometer passed, as telemetry detected it.</summary>
public sealed record ServiceDue(DateTimeOffset OccurredAt, string Detail);

/// <summary>A diagnostic trouble code the vehicle reported ("P0301"), as telemetry recorded it.</summary>
public sealed record FaultCode(DateTimeOffset OccurredAt, string Code, string Detail);

/// <summary>
/// What telemetry knows about a vehicle, for the other modules: the telemetry module implements it over its
/// stores; a module that needs a vehicle's condition depends on this contract, never on telemetry's types.
/// Both reads are tenant-scoped: another tenant's vehicle looks unknown.
/// </summary>
public interface IVehicleConditions
{
    /// <summary>The latest condition; null when the vehicle never reported or belongs to another tenant.</summary>
    Task<VehicleCondition?> GetLatestAsync(string tenantId, string vin, CancellationToken cancellationToken);

    /// <summary>Service intervals passed between <paramref name="from"/> and <paramref name="to"/>, oldest first.</summary>
    Task<IReadOnlyList<ServiceDue>> ServiceDueAsync(string tenantId, string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Diagnostic trouble codes reported between <paramref name="from"/> and <paramref name="to"/>, oldest first.</summary>
    Task<IReadOnlyList<FaultCode>> FaultCodesAsync(string tenantId, string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
