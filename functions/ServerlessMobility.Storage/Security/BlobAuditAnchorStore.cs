using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Specialized;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Security;

/// <summary>
/// Audit anchors as one append blob per tenant, one JSON line per anchor. In Azure the container carries a time-based
/// immutability policy with protected append writes (infra/modules/storage.bicep): lines can be added, never changed
/// or deleted, not even by the platform's own identity.
/// </summary>
public sealed class BlobAuditAnchorStore(StorageClients storage) : IAuditAnchorStore
{
    public const string ContainerName = "audit-anchors";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Azure.Storage.Blobs.BlobContainerClient _container = storage.GetContainer(ContainerName);
    private int _created;

    public async Task AppendAsync(AuditAnchor anchor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var blob = await BlobAsync(anchor.TenantId, cancellationToken);
        await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        using var line = new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(anchor, Json) + "\n"));
        await blob.AppendBlockAsync(line, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<AuditAnchor>> ReadAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(tenantId, cancellationToken);
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return [.. content.Value.Content.ToString()
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize<AuditAnchor>(line, Json)!)];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    private async Task<AppendBlobClient> BlobAsync(string tenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        if (Interlocked.CompareExchange(ref _created, 1, 0) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        return _container.GetAppendBlobClient(Uri.EscapeDataString(tenantId) + ".jsonl");
    }
}
