namespace ServerlessMobility.Platform.Persistence;

/// <summary>A short-lived URL that moves one blob's bytes between a client and storage directly, so the API never streams them.</summary>
/// <param name="ExpiresAt">UTC, to the second (what the signature says).</param>
public sealed record BlobTransferLink(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>What storage holds for one blob.</summary>
public sealed record StoredBlob(long Size, string? ContentType);

/// <summary>
/// Signed links to single blobs (shared access signatures): with an account key where there is one (Azurite locally),
/// otherwise signed with a user-delegation key obtained by the app's managed identity. Containers are named as in
/// every other store (the configured prefix applies) and are created on first use.
/// </summary>
public interface IBlobTransferLinks
{
    /// <summary>The longest lifetime a link may have (a user-delegation key is fetched to cover it).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// A create-only, write-only link for one blob: the client PUTs it once (<c>x-ms-blob-type: BlockBlob</c>); the
    /// link can neither overwrite nor read. A signature cannot limit the size: check <see cref="GetAsync"/> before use.
    /// </summary>
    Task<BlobTransferLink> UploadLinkAsync(string container, string blobName, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>
    /// A read-only link to one blob, answered with <paramref name="contentType"/> whatever the uploader declared, so an
    /// upload cannot turn into something a browser runs.
    /// </summary>
    Task<BlobTransferLink> ReadLinkAsync(string container, string blobName, string contentType, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <returns>The blob's size and declared type, or null while nothing was uploaded.</returns>
    Task<StoredBlob?> GetAsync(string container, string blobName, CancellationToken cancellationToken = default);
}
