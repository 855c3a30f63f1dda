using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Maintenance;

/// <summary>The workshop's completed jobs as the vehicle's service history (read by Car-as-a-Service's maintenance gate).</summary>
public sealed class WorkshopServiceHistory(ITenantRepository<ServiceJob> jobs) : IServiceHistory
{
    public async Task<CompletedService?> LastServiceAsync(string tenantId, string vin, CancellationToken cancellationToken)
    {
        var ofVehicle = await jobs.QueryAsync(tenantId, "vehicleId", vin, cancellationToken).ConfigureAwait(false);
        return ofVehicle
            .Select(j => (Job: j, Completed: j.History.LastOrDefault(h => h.To == JobStatus.Completed)))
            .Where(x => x.Completed is not null)
            .OrderByDescending(x => x.Completed!.At)
            .Select(x => new CompletedService(x.Job.Id, x.Completed!.At, x.Job.CheckIn.OdometerKm))
            .FirstOrDefault();
    }
}
