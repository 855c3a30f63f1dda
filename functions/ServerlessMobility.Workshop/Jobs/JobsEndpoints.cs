using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Workshop.Approval;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Estimates;
using ServerlessMobility.Workshop.Media;
using ServerlessMobility.Workshop.Notifications;
using ServerlessMobility.Workshop.Parts;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Jobs;

/// <param name="Photos">Names of the photos taken at check-in (at most 20).</param>
public sealed record CheckInRequest(
    [property: Range(0, 10_000_000)] int OdometerKm,
    [property: Range(0, 100)] int FuelLevelPercent,
    IReadOnlyList<string>? Photos = null);

/// <summary>The moves staff make by hand; the estimate, approval, invoice and payment routes make the others.</summary>
public enum StaffJobMove
{
    Inspecting,
    InProgress,
    Blocked,
    Completed,
}

public sealed record ChangeJobStatusRequest(StaffJobMove Status, [property: StringLength(200), RegularExpression(InputFormats.Text)] string? Reason = null);

public sealed record EstimateLineRequest(
    [property: StringLength(40), RegularExpression(InputFormats.ClientId)] string Id,
    EstimateLineKind Kind,
    [property: StringLength(200), RegularExpression(InputFormats.Text)] string Description,
    decimal Quantity,
    decimal UnitPrice,
    [property: StringLength(40), RegularExpression(InputFormats.ClientId)] string? Sku = null,
    [property: StringLength(40), RegularExpression(InputFormats.ClientId)] string? Location = null,
    [property: StringLength(100), RegularExpression(InputFormats.ClientId)] string? CoverageItem = null);

public sealed record PutEstimateRequest(IReadOnlyList<EstimateLineRequest> Lines);

/// <summary>
/// The service job from check-in to completion: staff move it through its lifecycle (illegal moves are 409s), write the
/// estimate, reserve the approved parts and complete it, which takes the reserved parts out of stock.
/// </summary>
public static class JobsEndpoints
{
    public const int MaxPhotos = 20;

    /// <summary>Opens the job of a booking as the vehicle arrives; checking in twice is a 409.</summary>
    public static async Task<Created<ServiceJob>> CheckInAsync(string id, CheckInRequest request, HttpContext http, [FromServices] ITenantRepository<Booking> bookings,
        [FromServices] ITenantRepository<ServiceJob> jobs, [FromServices] IOptions<WorkshopOptions> options, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var photos = request.Photos ?? [];
        if (photos.Count > MaxPhotos || photos.Any(p => !InputFormats.IsClientId(p?.Replace(".", string.Empty, StringComparison.Ordinal), 100)))
        {
            throw RequestValidationException.For("photos", $"At most {MaxPhotos} photo names of letters, digits, '.', '-' or '_'.");
        }

        CheckInRecord.Validate(request.OdometerKm, request.FuelLevelPercent);

        var user = CurrentUser.FromPrincipal(http.User);
        var booking = await BookingsEndpoints.LoadVisibleAsync(id, user, bookings, cancellationToken);
        var job = ServiceJob.Open(booking, new CheckInRecord(request.OdometerKm, request.FuelLevelPercent, photos, time.GetUtcNow(), user.Subject),
            options.Value.Country, options.Value.Currency);
        try
        {
            await jobs.CreateAsync(user.TenantId, job.Id, job, cancellationToken);
        }
        catch (ConflictException)
        {
            throw new ConflictException($"Booking '{id}' is already checked in as job '{job.Id}'.");
        }

        await bookings.ReplaceWithAsync(user.TenantId, booking.Id, b => b with { JobId = job.Id }, "Booking", cancellationToken);
        return TypedResults.Created($"/api/workshop/jobs/{job.Id}", job);
    }

    /// <summary>The job, with its photos and videos as storage holds them now (short-lived read links; staff also see slots not yet uploaded).</summary>
    public static async Task<Ok<ServiceJob>> GetAsync(string id, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs, [FromServices] JobMediaLinks media,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(media);
        var user = CurrentUser.FromPrincipal(http.User);
        var job = await LoadVisibleAsync(id, user, jobs, cancellationToken);
        return TypedResults.Ok(await media.ShowAsync(job, WorkshopAccess.IsStaff(user), cancellationToken));
    }

    public static async Task<Ok<ServiceJob>> ChangeStatusAsync(string id, ChangeJobStatusRequest request, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] ITenantRepository<PartStock> stock, [FromServices] WorkshopOwnerNotifier notifier, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(time);
        var target = request.Status switch
        {
            StaffJobMove.Inspecting => JobStatus.Inspecting,
            StaffJobMove.InProgress => JobStatus.InProgress,
            StaffJobMove.Blocked => JobStatus.Blocked,
            StaffJobMove.Completed => JobStatus.Completed,
            _ => throw RequestValidationException.For("status", "Inspecting, InProgress, Blocked or Completed."),
        };

        if (request.Reason is not null && !InputFormats.IsText(request.Reason, 200))
        {
            throw RequestValidationException.For("reason", "At most 200 characters.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var job = await LoadVisibleAsync(id, user, jobs, cancellationToken);
        if (target == JobStatus.Completed)
        {
            var completed = await CompleteAsync(job, jobs, stock, time, cancellationToken);
            await notifier.JobCompletedAsync(completed, cancellationToken);
            return TypedResults.Ok(completed);
        }

        var (updated, _) = await jobs.UpdateAsync(user.TenantId, id, j =>
        {
            j.MoveTo(target, time.GetUtcNow(), request.Reason);
            return true;
        }, "Job", cancellationToken);
        return TypedResults.Ok(updated);
    }

    /// <summary>Writes the estimate, or revises it: a revision ends the owner's wait for the version it replaces (its link stops working).</summary>
    public static async Task<Ok<Estimate>> PutEstimateAsync(string id, PutEstimateRequest request, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] DurableTaskClient workflows, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        if (request.Lines is null || request.Lines.Any(l => l is null))
        {
            throw RequestValidationException.For("lines", "An estimate has 1 to 50 lines.");
        }

        var lines = request.Lines.Select(l => new EstimateLine(l.Id, l.Kind, l.Description, l.Quantity, l.UnitPrice, l.Sku, l.Location, l.CoverageItem)).ToList();

        // The lines are checked before the job is read, so a malformed estimate is a 400 whether or not the job exists.
        Estimate.Validate(null, lines);
        var user = CurrentUser.FromPrincipal(http.User);
        _ = await LoadVisibleAsync(id, user, jobs, cancellationToken);
        var (_, estimate) = await jobs.UpdateAsync(user.TenantId, id, j => j.Propose(lines, time.GetUtcNow()), "Job", cancellationToken);
        if (estimate.Version > 1)
        {
            await workflows.RaiseIfRunningAsync(ApprovalWorkflow.InstanceIdFor(user.TenantId, id, estimate.Version - 1), ApprovalWorkflow.EstimateSettledEvent, "revised",
                cancellationToken);
        }

        return TypedResults.Ok(estimate);
    }

    /// <summary>
    /// Holds the approved parts in stock for the job (<see cref="JobPartReservations"/>): what is there is reserved, what
    /// is short blocks the job, and the answer's <c>missingParts</c> name those parts with what to order. Asking again is
    /// harmless; a count of a missing part (PUT /parts/{location}/{sku}) retries by itself.
    /// </summary>
    public static async Task<Ok<ServiceJob>> ReservePartsAsync(string id, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] ITenantRepository<PartStock> stock, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        var job = await LoadVisibleAsync(id, user, jobs, cancellationToken);
        return TypedResults.Ok(await JobPartReservations.ReserveAsync(job, jobs, stock, time, cancellationToken));
    }

    public static async Task<ServiceJob> LoadVisibleAsync(string id, CurrentUser user, ITenantRepository<ServiceJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(jobs);
        var job = (await jobs.GetAsync(user.TenantId, id, cancellationToken))?.Value ?? throw new ResourceNotFoundException("Job", id);
        WorkshopAccess.EnsureVisible(user, job.CustomerId, "Job", id);
        return job;
    }

    /// <summary>
    /// Completes the work: the reserved parts leave stock first (consuming is idempotent per job, so a retry after a
    /// failure between the two writes takes nothing twice), then the job is marked completed.
    /// </summary>
    private static async Task<ServiceJob> CompleteAsync(ServiceJob job, ITenantRepository<ServiceJob> jobs, ITenantRepository<PartStock> stock, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!JobLifecycle.Allows(job.Status, JobStatus.Completed))
        {
            throw new ConflictException($"The job is {job.Status}; it cannot move to {JobStatus.Completed}.");
        }

        var needed = JobPartReservations.NeededParts(job);
        var missing = needed.Where(n => !job.Parts.Any(p => p.Sku == n.Sku && p.Location == n.Location && p.Quantity == n.Quantity)).Select(n => n.Sku).ToList();
        if (missing.Count > 0)
        {
            throw new BusinessRuleException("workshop-parts-not-reserved", $"Reserve the approved parts before completing: {string.Join(", ", missing)}.");
        }

        foreach (var part in job.Parts.Where(p => !p.Consumed))
        {
            await stock.UpdateAsync(job.TenantId, PartStock.IdFor(part.Location, part.Sku), s => s.Consume(job.Id), "Part", cancellationToken);
        }

        var (updated, _) = await jobs.UpdateAsync(job.TenantId, job.Id, j =>
        {
            j.MoveTo(JobStatus.Completed, time.GetUtcNow());
            for (var i = 0; i < j.Parts.Count; i++)
            {
                j.Parts[i] = j.Parts[i] with { Consumed = true };
            }

            return true;
        }, "Job", cancellationToken);
        return updated;
    }
}
