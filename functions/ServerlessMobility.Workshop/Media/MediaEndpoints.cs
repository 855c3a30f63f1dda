using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Media;

/// <param name="FileName">The file's name on the phone; its extension decides the kind (jpg, jpeg, png, webp, heic, mp4, mov).</param>
/// <param name="ContentType">The type that goes with the extension (image/jpeg for .jpg, video/quicktime for .mov, ...).</param>
/// <param name="EstimateLineId">The estimate line the photo or video shows, so the owner sees it next to that line.</param>
public sealed record RequestMediaUploadRequest(
    [property: StringLength(MediaTypes.MaxFileNameLength), RegularExpression(MediaTypes.FileNamePattern)] string FileName,
    [property: RegularExpression(MediaTypes.ContentTypePattern)] string ContentType,
    [property: StringLength(40), RegularExpression(InputFormats.ClientId)] string? EstimateLineId = null,
    [property: StringLength(200), RegularExpression(InputFormats.Text)] string? Caption = null);

/// <summary>Where and how to upload: PUT the bytes to <paramref name="UploadUrl"/> with <paramref name="Headers"/> before <paramref name="ExpiresAt"/>.</summary>
/// <param name="MaxBytes">A larger file is stored but never shown.</param>
public sealed record MediaUploadSlot(JobMedia Media, Uri UploadUrl, DateTimeOffset ExpiresAt, string Method, IReadOnlyDictionary<string, string> Headers, long MaxBytes);

/// <summary>
/// Photos and videos of a job, uploaded by the client straight to Blob storage: the API only hands out signed,
/// create-only links for one blob each and never streams a file.
/// </summary>
public static class MediaEndpoints
{
    public static async Task<Created<MediaUploadSlot>> RequestUploadAsync(string id, RequestMediaUploadRequest request, HttpContext http,
        [FromServices] ITenantRepository<ServiceJob> jobs, [FromServices] JobMediaLinks media, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(time);

        // The request is checked before the job is read, so a wrong file type is a 400 whether or not the job exists.
        var kind = MediaTypes.Check(request.FileName, request.ContentType);
        if (request.EstimateLineId is not null && !InputFormats.IsClientId(request.EstimateLineId, 40))
        {
            throw RequestValidationException.For("estimateLineId", "An estimate line id of letters, digits, '-' or '_' (at most 40).");
        }

        if (request.Caption is not null && !InputFormats.IsText(request.Caption, 200))
        {
            throw RequestValidationException.For("caption", "At most 200 characters.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        _ = await JobsEndpoints.LoadVisibleAsync(id, user, jobs, cancellationToken);
        var slot = new JobMedia($"m{Guid.NewGuid():N}"[..17], kind, request.FileName, MediaTypes.ContentTypeOf(request.FileName), time.GetUtcNow(), user.Subject,
            request.EstimateLineId, request.Caption);
        var (job, _) = await jobs.UpdateAsync(user.TenantId, id, j =>
        {
            j.AddMedia(slot);
            return true;
        }, "Job", cancellationToken);

        var link = await media.UploadLinkAsync(job, slot, cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["x-ms-blob-type"] = "BlockBlob",
            ["x-ms-blob-content-type"] = slot.ContentType,
        };
        return TypedResults.Created($"/api/workshop/jobs/{job.Id}", new MediaUploadSlot(slot with { Status = MediaStatus.Pending }, link.Url, link.ExpiresAt, "PUT", headers,
            media.MaxBytes));
    }
}
