using System.Text.RegularExpressions;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Workshop.Media;

public enum MediaKind
{
    Photo,
    Video,
}

/// <summary>What storage holds for a media item when the job is read (never stored: storage is the truth).</summary>
public enum MediaStatus
{
    /// <summary>The slot was given out and nothing was uploaded yet (shown to staff only).</summary>
    Pending,

    Uploaded,

    /// <summary>Uploaded but over Workshop:Media:MaxBytes: shown to staff only, without a link.</summary>
    TooLarge,
}

/// <summary>
/// A photo or video of the job, uploaded by staff straight to Blob storage through a signed link. The job stores the
/// slot; <see cref="Status"/>, <see cref="Size"/>, <see cref="Url"/> and <see cref="UrlExpiresAt"/> are filled in only
/// in answers, from storage at the time of reading (null when stored, so they are never written).
/// </summary>
public sealed record JobMedia(string Id, MediaKind Kind, string FileName, string ContentType, DateTimeOffset RequestedAt, string RequestedBy,
    string? EstimateLineId = null, string? Caption = null)
{
    public MediaStatus? Status { get; init; }

    public long? Size { get; init; }

    /// <summary>A read-only link to the file, valid until <see cref="UrlExpiresAt"/>.</summary>
    public Uri? Url { get; init; }

    public DateTimeOffset? UrlExpiresAt { get; init; }

    /// <summary>The blob: the tenant and the job in its path, the id and the file's type in its name.</summary>
    public string BlobName(string tenantId, string jobId) => $"{tenantId}/{jobId}/{Id}{Path.GetExtension(FileName).ToLowerInvariant()}";
}

/// <summary>The files a job takes: common phone photo and video formats, each extension with the one content type it is served as.</summary>
public static partial class MediaTypes
{
    public const string Container = "workshop-media";
    public const int MaxFileNameLength = 100;

    /// <summary>A plain file name (no path) ending in an extension on the list, in any case (phones write .JPG and .MOV).</summary>
    public const string FileNamePattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]*\\.([Jj][Pp][Ee]?[Gg]|[Pp][Nn][Gg]|[Ww][Ee][Bb][Pp]|[Hh][Ee][Ii][Cc]|[Mm][Pp]4|[Mm][Oo][Vv])$";

    public const string ContentTypePattern = "^(image/jpeg|image/png|image/webp|image/heic|video/mp4|video/quicktime)$";

    private static readonly Dictionary<string, (string ContentType, MediaKind Kind)> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = ("image/jpeg", MediaKind.Photo),
        [".jpeg"] = ("image/jpeg", MediaKind.Photo),
        [".png"] = ("image/png", MediaKind.Photo),
        [".webp"] = ("image/webp", MediaKind.Photo),
        [".heic"] = ("image/heic", MediaKind.Photo),
        [".mp4"] = ("video/mp4", MediaKind.Video),
        [".mov"] = ("video/quicktime", MediaKind.Video),
    };

    /// <summary>
    /// The kind of a file with this name and declared type; a name that is not a plain file name, an extension not on
    /// the list, or a type that does not match the extension is refused (400). The same rules as the request's schema.
    /// </summary>
    public static MediaKind Check(string? fileName, string? contentType)
    {
        if (fileName is null || fileName.Length > MaxFileNameLength || !FileNameRegex().IsMatch(fileName))
        {
            throw RequestValidationException.For("fileName",
                $"A file name of letters, digits, '.', '-' or '_' (at most {MaxFileNameLength}) ending in {string.Join(", ", ByExtension.Keys)}.");
        }

        var known = ByExtension[Path.GetExtension(fileName)];
        if (!string.Equals(contentType, known.ContentType, StringComparison.Ordinal))
        {
            throw RequestValidationException.For("contentType", $"A {Path.GetExtension(fileName).ToLowerInvariant()} file is uploaded as {known.ContentType}.");
        }

        return known.Kind;
    }

    public static string ContentTypeOf(string fileName) => ByExtension[Path.GetExtension(fileName)].ContentType;

    [GeneratedRegex(FileNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex FileNameRegex();
}
