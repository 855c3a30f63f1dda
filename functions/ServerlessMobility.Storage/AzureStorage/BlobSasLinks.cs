using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.Storage.AzureStorage;

/// <summary>
/// <see cref="IBlobTransferLinks"/> over Azure Blob Storage. A client built from a connection string with an account
/// key (Azurite) signs service SAS itself; one built on the managed identity (Azure, shared keys disabled) signs with a
/// user-delegation key, fetched once and reused until it no longer covers a new link's lifetime.
/// </summary>
public sealed class BlobSasLinks(StorageClients storage, TimeProvider time) : IBlobTransferLinks, IDisposable
{
    /// <summary>A delegation key outlives many links; Azure allows up to 7 days.</summary>
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(6);

    /// <summary>The key starts a little in the past, as storage's clock may be behind ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, bool> _createdContainers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _keyLock = new(1, 1);
    private UserDelegationKey? _key;

    public async Task<BlobTransferLink> UploadLinkAsync(string container, string blobName, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var client = storage.GetContainer(container);
        if (!_createdContainers.ContainsKey(client.Name))
        {
            // The client writes into it next, so it has to exist before the link is given out.
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _createdContainers[client.Name] = true;
        }

        return await SignAsync(client.GetBlobClient(blobName), BlobSasPermissions.Create, null, lifetime, cancellationToken).ConfigureAwait(false);
    }

    public Task<BlobTransferLink> ReadLinkAsync(string container, string blobName, string contentType, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        SignAsync(storage.GetContainer(container).GetBlobClient(blobName), BlobSasPermissions.Read, contentType, lifetime, cancellationToken);

    public async Task<StoredBlob?> GetAsync(string container, string blobName, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = (await storage.GetContainer(container).GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new StoredBlob(properties.ContentLength, properties.ContentType);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task<BlobTransferLink> SignAsync(BlobClient blob, BlobSasPermissions permissions, string? contentType, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > IBlobTransferLinks.MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A link lives for more than zero and at most {IBlobTransferLinks.MaxLifetime}.");
        }

        // The signature carries whole seconds; the answer says exactly what it carries.
        var now = time.GetUtcNow();
        var expiresAt = now.Add(lifetime);
        expiresAt = expiresAt.AddTicks(-(expiresAt.UtcTicks % TimeSpan.TicksPerSecond));

        // No start time: a link works from the moment it is given out, whatever the caller's clock says.
        var builder = new BlobSasBuilder(permissions, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            ContentType = contentType,
        };

        if (blob.CanGenerateSasUri)
        {
            return new BlobTransferLink(blob.GenerateSasUri(builder), expiresAt);
        }

        var key = await DelegationKeyAsync(now, expiresAt, cancellationToken).ConfigureAwait(false);
        var uri = new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(key, storage.Blobs.AccountName) };
        return new BlobTransferLink(uri.ToUri(), expiresAt);
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset now, DateTimeOffset linkExpiresAt, CancellationToken cancellationToken)
    {
        if (_key is { } cached && cached.SignedExpiresOn >= linkExpiresAt)
        {
            return cached;
        }

        await _keyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_key is not { } current || current.SignedExpiresOn < linkExpiresAt)
            {
                _key = (await storage.Blobs.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(now + KeyLifetime) { StartsOn = now - ClockSkew }, cancellationToken)
                    .ConfigureAwait(false)).Value;
            }

            return _key;
        }
        finally
        {
            _keyLock.Release();
        }
    }

    public void Dispose() => _keyLock.Dispose();
}
