using System.Text.RegularExpressions;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.Showroom.Inventory;

/// <summary>What storage holds for a photo slot when the vehicle is read (never stored: storage is the truth).</summary>
public enum PhotoStatus
{
    /// <summary>Handed out, nothing uploaded yet (shown to staff only).</summary>
    Pending,

    Uploaded,

    /// <summary>Uploaded but over <see cref="VehiclePhotoLinks.MaxBytes"/>: shown to staff only, without a link.</summary>
    TooLarge,
}

/// <summary>A photo as answered: the slot, and what storage holds for it now with a short-lived read link.</summary>
public sealed record VehiclePhotoView(string Id, string FileName, string ContentType, DateTimeOffset RequestedAt, PhotoStatus Status, long? Size = null, Uri? Url = null,
    DateTimeOffset? UrlExpiresAt = null);

/// <summary>
/// Vehicle photos go straight from the client to Blob storage through a signed, create-only link per photo; the API
/// never streams a file. Lifetimes and the size limit are fixed here: a listing photo is small and uploaded at once.
/// </summary>
public sealed partial class VehiclePhotoLinks(IBlobTransferLinks links)
{
    public const string Container = "showroom-photos";
    public const int MaxFileNameLength = 100;
    public const long MaxBytes = 20L * 1024 * 1024;
    public const string FileNamePattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]*\\.([Jj][Pp][Ee]?[Gg]|[Pp][Nn][Gg]|[Ww][Ee][Bb][Pp]|[Hh][Ee][Ii][Cc])$";
    public const string ContentTypePattern = "^(image/jpeg|image/png|image/webp|image/heic)$";

    public static readonly TimeSpan UploadLinkLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ReadLinkLifetime = TimeSpan.FromMinutes(15);

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".webp"] = "image/webp",
        [".heic"] = "image/heic",
    };

    /// <summary>The content type a photo is stored and served as; a name or type off the list, or not matching each other, is a 400.</summary>
    public static string Check(string? fileName, string? contentType)
    {
        if (fileName is null || fileName.Length > MaxFileNameLength || !FileNameRegex().IsMatch(fileName))
        {
            throw RequestValidationException.For("fileName",
                $"A file name of letters, digits, '.', '-' or '_' (at most {MaxFileNameLength}) ending in {string.Join(", ", ContentTypes.Keys)}.");
        }

        var expected = ContentTypes[Path.GetExtension(fileName)];
        if (!string.Equals(contentType, expected, StringComparison.Ordinal))
        {
            throw RequestValidationException.For("contentType", $"A {Path.GetExtension(fileName).ToLowerInvariant()} photo is uploaded as {expected}.");
        }

        return expected;
    }

    public Task<BlobTransferLink> UploadLinkAsync(InventoryVehicle vehicle, VehiclePhoto photo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        ArgumentNullException.ThrowIfNull(photo);
        return links.UploadLinkAsync(Container, photo.BlobName(vehicle.TenantId, vehicle.Vin), UploadLinkLifetime, cancellationToken);
    }

    /// <summary>The photos as storage has them now: staff see every slot; customers only photos uploaded within the limit.</summary>
    public async Task<IReadOnlyList<VehiclePhotoView>> ReadAsync(InventoryVehicle vehicle, bool staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        var read = await Task.WhenAll(vehicle.Photos.Select(async p =>
        {
            var blobName = p.BlobName(vehicle.TenantId, vehicle.Vin);
            var stored = await links.GetAsync(Container, blobName, cancellationToken);
            if (stored is null)
            {
                return new VehiclePhotoView(p.Id, p.FileName, p.ContentType, p.RequestedAt, PhotoStatus.Pending);
            }

            if (stored.Size > MaxBytes)
            {
                return new VehiclePhotoView(p.Id, p.FileName, p.ContentType, p.RequestedAt, PhotoStatus.TooLarge, stored.Size);
            }

            // Served as the type recorded for the slot, whatever the upload declared.
            var link = await links.ReadLinkAsync(Container, blobName, p.ContentType, ReadLinkLifetime, cancellationToken);
            return new VehiclePhotoView(p.Id, p.FileName, p.ContentType, p.RequestedAt, PhotoStatus.Uploaded, stored.Size, link.Url, link.ExpiresAt);
        }));
        return [.. read.Where(p => staff || p.Status == PhotoStatus.Uploaded)];
    }

    [GeneratedRegex(FileNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex FileNameRegex();
}
