using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Media;

/// <summary>
/// The signed links of a job's photos and videos: a create-only upload link per slot, and on every read, what storage
/// holds with a short-lived read link for each file actually uploaded and within the size limit.
/// </summary>
public sealed class JobMediaLinks(IBlobTransferLinks links, IOptions<WorkshopOptions> options)
{
    private WorkshopMediaOptions Options => options.Value.Media;

    public long MaxBytes => Options.MaxBytes;

    public Task<BlobTransferLink> UploadLinkAsync(ServiceJob job, JobMedia media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(media);
        return links.UploadLinkAsync(MediaTypes.Container, media.BlobName(job.TenantId, job.Id), Options.UploadLinkLifetime, cancellationToken);
    }

    /// <summary>
    /// The job's media as storage has them now. Staff see every slot with its status; anyone else (the owner, the
    /// approval page) only the files uploaded within the limit.
    /// </summary>
    public async Task<IReadOnlyList<JobMedia>> ReadAsync(ServiceJob job, bool staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var read = await Task.WhenAll(job.Media.Select(async m =>
        {
            var blobName = m.BlobName(job.TenantId, job.Id);
            var stored = await links.GetAsync(MediaTypes.Container, blobName, cancellationToken);
            if (stored is null)
            {
                return m with { Status = MediaStatus.Pending };
            }

            if (stored.Size > Options.MaxBytes)
            {
                return m with { Status = MediaStatus.TooLarge, Size = stored.Size };
            }

            // Served as the type recorded for the slot, whatever the upload declared.
            var link = await links.ReadLinkAsync(MediaTypes.Container, blobName, m.ContentType, Options.ReadLinkLifetime, cancellationToken);
            return m with { Status = MediaStatus.Uploaded, Size = stored.Size, Url = link.Url, UrlExpiresAt = link.ExpiresAt };
        }));
        return [.. read.Where(m => staff || m.Status == MediaStatus.Uploaded)];
    }

    /// <summary>Replaces the slots of a job read for an answer (not to be stored) with what <see cref="ReadAsync"/> finds.</summary>
    public async Task<ServiceJob> ShowAsync(ServiceJob job, bool staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var shown = await ReadAsync(job, staff, cancellationToken);
        job.Media.Clear();
        job.Media.AddRange(shown);
        return job;
    }
}
