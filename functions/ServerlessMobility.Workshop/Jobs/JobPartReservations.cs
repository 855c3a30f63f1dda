using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Workshop.Parts;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Jobs;

/// <summary>
/// Reserving a job's approved parts, by staff or again when stock is counted. Each part's stock is changed on its own,
/// conditionally on the version read (so stock never goes negative however many jobs reserve at once), all or nothing
/// per part; what is short blocks the job (<see cref="ServiceJob.RecordPartReservations"/>) until a count brings it in.
/// </summary>
public static class JobPartReservations
{
    /// <summary>Enough for a count and a reservation to cross a few times; each round only re-reads when stock moved.</summary>
    private const int MaxRounds = 3;

    /// <summary>The approved part lines per stock item (two lines of one part are one reservation).</summary>
    public static List<JobPartReservation> NeededParts(ServiceJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return [.. job.ApprovedParts()
            .GroupBy(l => (Location: l.Location!, Sku: l.Sku!))
            .Select(g => new JobPartReservation(g.Key.Sku, g.Key.Location, (int)g.Sum(l => l.Quantity)))];
    }

    /// <summary>Reserves what can be reserved and records the outcome on the job; asking again is harmless.</summary>
    public static async Task<ServiceJob> ReserveAsync(ServiceJob job, ITenantRepository<ServiceJob> jobs, ITenantRepository<PartStock> stock, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(time);
        for (var round = 1; ; round++)
        {
            if (job.Status is not (JobStatus.InProgress or JobStatus.Blocked))
            {
                throw new ConflictException($"The job is {job.Status}; parts are reserved for approved work in progress.");
            }

            var (reserved, missing) = await TryReserveAllAsync(job, stock, time, cancellationToken);
            var (updated, _) = await jobs.UpdateAsync(job.TenantId, job.Id, j =>
            {
                j.RecordPartReservations(reserved, missing, time.GetUtcNow());
                return true;
            }, "Job", cancellationToken);

            // A count that landed between our attempt and the job being stored as blocked looked for blocked jobs before
            // this one was one: look at the missing parts once more, so the job is not left waiting for stock that is there.
            if (missing.Count == 0 || round == MaxRounds || !await AnyNowAvailableAsync(updated, missing, stock, cancellationToken))
            {
                return updated;
            }

            job = updated;
        }
    }

    /// <summary>
    /// Stock of one part was counted: the jobs blocked waiting for it try their reservations again, oldest wait first,
    /// and those that get everything go back to work. A job that changed meanwhile (completed, reserved by staff) is left
    /// as it is; the count itself is already stored.
    /// </summary>
    /// <returns>The ids of the jobs that went back to work.</returns>
    public static async Task<IReadOnlyList<string>> RetryWaitingAsync(string tenantId, string sku, string location, ITenantRepository<ServiceJob> jobs,
        ITenantRepository<PartStock> stock, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var waiting = (await jobs.QueryAsync(tenantId, "status", JobStatus.Blocked, cancellationToken))
            .Where(j => j.MissingParts.Any(m => string.Equals(m.Sku, sku, StringComparison.Ordinal) && string.Equals(m.Location, location, StringComparison.Ordinal)))
            .OrderBy(j => j.History.LastOrDefault()?.At ?? DateTimeOffset.MinValue)
            .ThenBy(j => j.Id, StringComparer.Ordinal)
            .ToList();
        var resumed = new List<string>();
        foreach (var job in waiting)
        {
            try
            {
                var after = await ReserveAsync(job, jobs, stock, time, cancellationToken);
                if (after.Status == JobStatus.InProgress)
                {
                    resumed.Add(after.Id);
                }
            }
            catch (ConflictException)
            {
                // The job moved on (or kept losing races) since the query: staff can still ask for its parts themselves.
            }
        }

        return resumed;
    }

    private static async Task<(List<JobPartReservation> Reserved, List<MissingPart> Missing)> TryReserveAllAsync(ServiceJob job, ITenantRepository<PartStock> stock,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stock);
        var reserved = new List<JobPartReservation>();
        var missing = new List<MissingPart>();
        foreach (var part in NeededParts(job))
        {
            try
            {
                var (_, outcome) = await stock.UpdateIfChangedAsync(job.TenantId, PartStock.IdFor(part.Location, part.Sku), s =>
                {
                    var held = s.HeldBy(job.Id);
                    var reservation = s.TryReserve(job.Id, part.Quantity, time.GetUtcNow());
                    return reservation is null
                        ? (false, (MissingPart?)new MissingPart(part.Sku, part.Location, part.Quantity, s.AvailableFor(job.Id), s.ReorderSuggestion(part.Quantity - held)))
                        : (held != part.Quantity, null);
                }, "Part", cancellationToken);
                if (outcome is null)
                {
                    reserved.Add(part);
                }
                else
                {
                    missing.Add(outcome);
                }
            }
            catch (ResourceNotFoundException)
            {
                // Never counted at that location: nothing to reserve, all of it to order.
                missing.Add(new MissingPart(part.Sku, part.Location, part.Quantity, 0, PartStock.ReorderSuggestionForUnstocked(part.Sku, part.Location, part.Quantity)));
            }
        }

        return (reserved, missing);
    }

    private static async Task<bool> AnyNowAvailableAsync(ServiceJob job, IReadOnlyList<MissingPart> missing, ITenantRepository<PartStock> stock,
        CancellationToken cancellationToken)
    {
        foreach (var part in missing)
        {
            if (await stock.GetAsync(job.TenantId, PartStock.IdFor(part.Location, part.Sku), cancellationToken) is { } current
                && current.Value.AvailableFor(job.Id) >= part.Quantity)
            {
                return true;
            }
        }

        return false;
    }
}
