using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.CarAsAService.Storage;

/// <summary>Invoices and registration documents as block blobs in one container.</summary>
public sealed class BlobDocumentStore(StorageClients storage) : IDocumentStore
{
    private readonly BlobContainerClient _container = storage.GetContainer(CaasStores.DocumentsContainer);
    private volatile bool _created;

    public async Task PutAsync(string path, string contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        await _container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _container.GetBlobClient(path).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}

/// <summary>
/// Raw webhook bodies at {provider}/{eventId}.json. The first copy wins (If-None-Match: *), so a
/// redelivery never overwrites what was received first; metadata "processed" marks completion.
/// </summary>
public sealed class BlobWebhookInbox(StorageClients storage) : IWebhookInbox
{
    private const string ProcessedKey = "processed";
    private const string OutcomeKey = "outcome";
    private readonly BlobContainerClient _container = storage.GetContainer(CaasStores.WebhooksContainer);
    private volatile bool _created;

    public async Task<WebhookReceipt> StoreAsync(string provider, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var path = $"{provider}/{eventId}.json";
        var blob = _container.GetBlobClient(path);
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken).ConfigureAwait(false);
            return new WebhookReceipt(path, AlreadyProcessed: false);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new WebhookReceipt(path, properties.Value.Metadata.ContainsKey(ProcessedKey),
                properties.Value.Metadata.TryGetValue(OutcomeKey, out var outcome) ? outcome : null);
        }
    }

    public async Task MarkProcessedAsync(string provider, string eventId, string? outcome, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string> { [ProcessedKey] = "true" };
        if (outcome is not null)
        {
            metadata[OutcomeKey] = outcome;
        }

        await _container.GetBlobClient($"{provider}/{eventId}.json").SetMetadataAsync(metadata, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}
