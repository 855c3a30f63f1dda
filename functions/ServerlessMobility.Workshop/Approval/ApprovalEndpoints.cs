using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Workshop.Estimates;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Media;
using ServerlessMobility.Workshop.Notifications;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Approval;

/// <param name="Url">The owner's link: opens the estimate (GET) and takes the decision (POST), no sign-in, until <paramref name="ExpiresAt"/>.</param>
public sealed record ApprovalLinkResponse(Uri Url, DateTimeOffset ExpiresAt, int EstimateVersion, string EstimateHash);

/// <summary>What the owner sees: the vehicle, what was found at check-in, the estimate line by line, and the photos and videos of the work.</summary>
/// <param name="Media">The files uploaded for the job, each with a short-lived read link (and the estimate line it shows, if any).</param>
public sealed record EstimateForOwner(string JobId, string VehicleId, int OdometerKm, IReadOnlyList<string> Photos, int EstimateVersion, string EstimateHash,
    string Currency, IReadOnlyList<EstimateLine> Lines, decimal Net, DateTimeOffset PreparedAt, ApprovalRecord? Decision, IReadOnlyList<JobMedia> Media);

public sealed record DecideEstimateRequest(IReadOnlyList<LineDecision> Decisions);

/// <summary>
/// The trust flow: staff send the owner a signed, expiring link to the estimate; the owner opens it without an account
/// and approves or declines each line. The decision is stored with its time and the estimate's hash and written to the
/// tenant's audit ledger (the route is anonymous, so the ledger is written here, once the tenant is known from the link).
/// </summary>
public static class ApprovalEndpoints
{
    public const string AuditAction = "workshop.estimate.decided";

    /// <summary>
    /// Sends the estimate to the owner: the job awaits approval and the approval workflow starts (once per estimate
    /// version), which sends the owner the link, reminds them and expires the estimate when they never decide. A second
    /// link for the same estimate (the owner lost the first) leaves the job and its workflow as they are.
    /// </summary>
    public static async Task<Ok<ApprovalLinkResponse>> CreateLinkAsync(string id, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] ApprovalLinks links, [FromServices] DurableTaskClient workflows, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        _ = await JobsEndpoints.LoadVisibleAsync(id, user, jobs, cancellationToken);
        var (job, _) = await jobs.UpdateAsync(user.TenantId, id, j =>
        {
            if (j.Estimate is { ExpiredAt: not null } expired)
            {
                throw ServiceJob.ExpiredEstimate(expired.Version);
            }

            if (j.Status != JobStatus.AwaitingApproval)
            {
                j.MoveTo(JobStatus.AwaitingApproval, time.GetUtcNow(), "approval link sent");
            }

            return true;
        }, "Job", cancellationToken);
        var estimate = job.Estimate ?? throw new ConflictException("The job has no estimate.");
        var link = links.Create(job.TenantId, job.Id, estimate.Version);
        var origin = new Uri($"{http.Request.Scheme}://{http.Request.Host}");
        await workflows.StartOnceAsync(ApprovalWorkflow.Name, ApprovalWorkflow.InstanceIdFor(job.TenantId, job.Id, estimate.Version),
            new ApprovalWaitInput(job.TenantId, job.Id, estimate.Version, origin.ToString()), cancellationToken);
        return TypedResults.Ok(new ApprovalLinkResponse(ApprovalLinks.UrlFor(origin, link), link.ExpiresAt, estimate.Version, estimate.Hash));
    }

    public static async Task<Ok<EstimateForOwner>> GetAsync(string? t, string? d, int? v, long? e, string? s, [FromServices] ApprovalLinks links,
        [FromServices] ITenantRepository<ServiceJob> jobs, [FromServices] JobMediaLinks media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        var (_, job) = await LoadAsync(links.Verify(t, d, v, e, s), jobs, cancellationToken);
        return TypedResults.Ok(await ViewAsync(job, media, cancellationToken));
    }

    public static async Task<Ok<EstimateForOwner>> DecideAsync(string? t, string? d, int? v, long? e, string? s, DecideEstimateRequest request,
        [FromServices] ApprovalLinks links, [FromServices] ITenantRepository<ServiceJob> jobs, [FromServices] IAuditLedger audit, [FromServices] DurableTaskClient workflows,
        [FromServices] WorkshopOwnerNotifier notifier, [FromServices] JobMediaLinks media, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        if (request.Decisions is null || request.Decisions.Any(x => x is null || x.LineId is null))
        {
            throw RequestValidationException.For("decisions", "Decide every line of the estimate exactly once.");
        }

        var (target, current) = await LoadAsync(links.Verify(t, d, v, e, s), jobs, cancellationToken);
        if (current.Approval is { } earlier && earlier.EstimateVersion == target.EstimateVersion && SameDecisions(earlier.Decisions, request.Decisions))
        {
            // The owner pressed twice (or the page was resent): the decision stands as first recorded. The workflow is told
            // and the owner notified again in case the first request stopped before doing so; both change nothing twice.
            await SettleAsync(current, workflows, notifier, cancellationToken);
            return TypedResults.Ok(await ViewAsync(current, media, cancellationToken));
        }

        var (job, record) = await jobs.UpdateAsync(target.TenantId, target.JobId, j => j.Decide(target.EstimateVersion, request.Decisions, time.GetUtcNow()), "Job",
            cancellationToken);
        var approved = string.Join(",", record.Decisions.Where(x => x.Approved).Select(x => x.LineId));
        await audit.AppendAsync(new AuditEntry(target.TenantId, $"owner-link:{job.CustomerId}", AuditAction, $"workshop/jobs/{job.Id}/estimate/v{record.EstimateVersion}",
            record.EstimateHash, string.Create(CultureInfo.InvariantCulture, $"approved={approved};at={record.DecidedAt:O}")), cancellationToken);

        await SettleAsync(job, workflows, notifier, cancellationToken);
        return TypedResults.Ok(await ViewAsync(job, media, cancellationToken));
    }

    /// <summary>The wait ends (no more reminders) and the owner hears the decision is recorded; both are safe to repeat.</summary>
    private static async Task SettleAsync(ServiceJob decided, DurableTaskClient workflows, WorkshopOwnerNotifier notifier, CancellationToken cancellationToken)
    {
        await workflows.RaiseIfRunningAsync(ApprovalWorkflow.InstanceIdFor(decided.TenantId, decided.Id, decided.Approval!.EstimateVersion),
            ApprovalWorkflow.EstimateSettledEvent, "decided", cancellationToken);
        await notifier.ApprovalRecordedAsync(decided, cancellationToken);
    }

    private static bool SameDecisions(IReadOnlyList<LineDecision> a, IReadOnlyList<LineDecision> b) =>
        a.Count == b.Count && a.OrderBy(x => x.LineId, StringComparer.Ordinal).SequenceEqual(b.OrderBy(x => x.LineId, StringComparer.Ordinal));

    private static async Task<(ApprovalLinkTarget Target, ServiceJob Job)> LoadAsync(ApprovalLinkTarget target, ITenantRepository<ServiceJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var job = (await jobs.GetAsync(target.TenantId, target.JobId, cancellationToken))?.Value ?? throw new ResourceNotFoundException("Job", target.JobId);
        if (job.Estimate is { ExpiredAt: not null } expired && expired.Version == target.EstimateVersion)
        {
            throw ServiceJob.ExpiredEstimate(target.EstimateVersion);
        }

        if (job.Estimate is null || job.Estimate.Version != target.EstimateVersion)
        {
            throw new ConflictException("The estimate was revised after this link was sent; ask the workshop for the new link.");
        }

        return (target, job);
    }

    private static async Task<EstimateForOwner> ViewAsync(ServiceJob job, JobMediaLinks media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        var estimate = job.Estimate!;
        return new EstimateForOwner(job.Id, job.VehicleId, job.CheckIn.OdometerKm, job.CheckIn.Photos, estimate.Version, estimate.Hash, estimate.Currency, estimate.Lines,
            estimate.Net.Amount, estimate.PreparedAt, job.Approval is { } a && a.EstimateVersion == estimate.Version ? a : null,
            await media.ReadAsync(job, staff: false, cancellationToken));
    }
}
