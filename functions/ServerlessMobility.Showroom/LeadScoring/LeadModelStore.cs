using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Showroom.LeadScoring;

/// <summary>Which version scores a dealership's leads now, with what it was trained on and how it did.</summary>
public sealed record LeadModelPointer(int Version, DateTimeOffset TrainedAt, string TrainedBy, int Seed, LeadModelMetrics Metrics);

/// <summary>
/// Lead-score models in Blob storage, per dealership: container <c>showroom-models</c>, the versions at
/// <c>{tenant}/lead-score/v{n}.zip</c> (created if absent, never overwritten) and the pointer to the current one at
/// <c>{tenant}/lead-score/current.json</c> (replaced only under its ETag, so two retrainings cannot point backwards).
/// </summary>
public sealed class LeadModelStore(StorageClients storage)
{
    public const string ContainerName = "showroom-models";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly BlobContainerClient _container = storage.GetContainer(ContainerName);
    private volatile bool _created;

    public static string VersionBlobName(string tenantId, int version) => string.Create(CultureInfo.InvariantCulture, $"{tenantId}/lead-score/v{version}.zip");

    public static string PointerBlobName(string tenantId) => $"{tenantId}/lead-score/current.json";

    public async Task<LeadModelPointer?> CurrentAsync(string tenantId, CancellationToken cancellationToken) => (await ReadPointerAsync(tenantId, cancellationToken)).Pointer;

    public async Task<byte[]?> ReadAsync(string tenantId, int version, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            return (await _container.GetBlobClient(VersionBlobName(tenantId, version)).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="zip"/> as the next version and points to it. A version number another writer took first is
    /// skipped; the pointer only ever moves forward.
    /// </summary>
    public async Task<LeadModelPointer> PublishAsync(string tenantId, byte[] zip, Func<int, LeadModelPointer> describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(describe);
        await EnsureContainerAsync(cancellationToken);
        var (current, _) = await ReadPointerAsync(tenantId, cancellationToken);
        var version = (current?.Version ?? 0) + 1;
        while (!await TryCreateAsync(VersionBlobName(tenantId, version), BinaryData.FromBytes(zip), "application/zip", cancellationToken))
        {
            version++;
        }

        var pointer = describe(version);
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var (latest, eTag) = await ReadPointerAsync(tenantId, cancellationToken);
            if (latest is not null && latest.Version >= version)
            {
                return latest;
            }

            var conditions = eTag is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = eTag };
            try
            {
                await _container.GetBlobClient(PointerBlobName(tenantId)).UploadAsync(BinaryData.FromObjectAsJson(pointer, Json),
                    new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);
                return pointer;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another retraining moved the pointer in between: read it again and decide again.
            }
        }

        throw new InvalidOperationException($"The lead-score model pointer of '{tenantId}' kept changing; v{version} is stored but not current.");
    }

    private async Task<bool> TryCreateAsync(string name, BinaryData content, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(name).UploadAsync(content,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    private async Task<(LeadModelPointer? Pointer, ETag? ETag)> ReadPointerAsync(string tenantId, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            var content = (await _container.GetBlobClient(PointerBlobName(tenantId)).DownloadContentAsync(cancellationToken)).Value;
            return (content.Content.ToObjectFromJson<LeadModelPointer>(Json), content.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, null);
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _created = true;
        }
    }
}
