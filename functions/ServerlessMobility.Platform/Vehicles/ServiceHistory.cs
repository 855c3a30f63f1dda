namespace ServerlessMobility.Platform.Vehicles;

/// <summary>A service the workshop completed on a vehicle.</summary>
/// <param name="JobId">The workshop job.</param>
/// <param name="OdometerKm">The odometer at check-in.</param>
public sealed record CompletedService(string JobId, DateTimeOffset CompletedAt, int OdometerKm);

/// <summary>
/// The workshops' service records, for the other modules: the workshop module implements it over its jobs; Car-as-a-Service
/// reads it so a service done in the workshop clears the maintenance gate for feature purchases. Tenant-scoped: another
/// tenant's vehicle has no history.
/// </summary>
public interface IServiceHistory
{
    /// <summary>The latest completed service of the vehicle; null when it never had one recorded.</summary>
    Task<CompletedService?> LastServiceAsync(string tenantId, string vin, CancellationToken cancellationToken);
}
