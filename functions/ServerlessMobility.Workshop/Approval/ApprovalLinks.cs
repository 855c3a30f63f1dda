using Microsoft.Extensions.Options;
using ServerlessMobility.Platform;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Approval;

/// <summary>What a valid approval link names: one version of one job's estimate in one tenant.</summary>
public sealed record ApprovalLinkTarget(string TenantId, string JobId, int EstimateVersion);

/// <summary>
/// The owner's signed, expiring link to an estimate, on the kernel's signed links (the ones issued documents use): the
/// signature covers tenant, job and estimate version and the expiry, so the link opens exactly that estimate until it
/// expires, and a revised estimate needs a new link. The signed name carries a prefix no issued document has, so a
/// document download link can never act as an approval link, nor the other way round.
/// </summary>
public sealed class ApprovalLinks(DocumentLinks links, IOptions<WorkshopOptions> options)
{
    private const string Prefix = "workshop-estimate/";

    public DocumentLink Create(string tenantId, string jobId, int estimateVersion) =>
        links.Create(tenantId, Prefix + jobId, estimateVersion, options.Value.ApprovalLinkLifetime);

    /// <summary>The owner's URL of a link: the approval route at <paramref name="origin"/> (scheme and host of the API).</summary>
    public static Uri UrlFor(Uri origin, DocumentLink link)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(link);
        return new Uri($"{origin.GetLeftPart(UriPartial.Authority)}{ServerlessMobilityApi.RoutePrefix}/workshop/approvals?{link.Query}");
    }

    /// <summary>True while the job waits for the owner's decision on estimate <paramref name="version"/> (not decided, revised or expired).</summary>
    public static bool Awaits(ServiceJob job, int version)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status == JobStatus.AwaitingApproval && job.Estimate is { ExpiredAt: null } estimate && estimate.Version == version;
    }

    /// <exception cref="ForbiddenException">The link was not signed by us, names no estimate, or has expired.</exception>
    public ApprovalLinkTarget Verify(string? t, string? d, int? v, long? e, string? s)
    {
        if (t is null || d is null || v is null || e is null || s is null || !d.StartsWith(Prefix, StringComparison.Ordinal) || !links.IsValid(t, d, v.Value, e.Value, s))
        {
            throw new ForbiddenException("The approval link is not valid or has expired; ask the workshop for a new one.");
        }

        return new ApprovalLinkTarget(t, d[Prefix.Length..], v.Value);
    }
}
