using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Documents;

/// <summary>
/// Issued documents in the "documents" container at {tenant}/{documentId}/v{version:0000}.pdf, created with
/// If-None-Match: * so no version is ever overwritten. Metadata carries what the archive needs to answer
/// without reading the bytes; only the "audited" flag is ever set later (metadata, not content).
/// </summary>
public sealed class BlobDocumentArchive(StorageClients storage) : IDocumentArchive
{
    private readonly BlobContainerClient _container = storage.GetContainer("documents");
    private volatile bool _created;

    public async Task<(IssuedDocument Document, bool Created)> CreateAsync(IssuedDocument document, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = Blob(document.TenantId, document.DocumentId, document.Version);
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = IssuedDocument.PdfContentType, ContentDisposition = $"attachment; filename=\"{document.FileName}\"" },
                Metadata = ToMetadata(document),
            }, cancellationToken).ConfigureAwait(false);
            return (document, true);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await GetAsync(document.TenantId, document.DocumentId, document.Version, cancellationToken).ConfigureAwait(false);
            return (existing ?? throw new InvalidOperationException($"Document {document.DocumentId} v{document.Version} exists but cannot be read."), false);
        }
    }

    public async Task<IssuedDocument?> GetLatestAsync(string tenantId, string documentId, CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var latest = 0;
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{tenantId}/{documentId}/" }, cancellationToken).ConfigureAwait(false))
        {
            var name = Path.GetFileNameWithoutExtension(item.Name);
            if (name.StartsWith('v') && int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                latest = Math.Max(latest, version);
            }
        }

        return latest == 0 ? null : await GetAsync(tenantId, documentId, latest, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IssuedDocument?> GetAsync(string tenantId, string documentId, int version, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await Blob(tenantId, documentId, version).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var m = properties.Value.Metadata;
            return new IssuedDocument(tenantId, documentId, version, m["kind"], Uri.UnescapeDataString(m["number"]), Uri.UnescapeDataString(m["owner"]),
                Uri.UnescapeDataString(m["filename"]), m["sha256"], DateTimeOffset.Parse(m["issuedat"], CultureInfo.InvariantCulture), m.ContainsKey("audited"));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<byte[]?> ReadAsync(string tenantId, string documentId, int version, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await Blob(tenantId, documentId, version).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task MarkAuditedAsync(string tenantId, string documentId, int version, CancellationToken cancellationToken = default)
    {
        var document = await GetAsync(tenantId, documentId, version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Document {documentId} v{version} is not stored.");
        var metadata = ToMetadata(document);
        metadata["audited"] = "true";
        await Blob(tenantId, documentId, version).SetMetadataAsync(metadata, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private BlobClient Blob(string tenantId, string documentId, int version) =>
        _container.GetBlobClient(string.Create(CultureInfo.InvariantCulture, $"{tenantId}/{documentId}/v{version:0000}.pdf"));

    // Metadata values must be ASCII: free text is escaped.
    private static Dictionary<string, string> ToMetadata(IssuedDocument document) => new(StringComparer.Ordinal)
    {
        ["kind"] = document.Kind,
        ["number"] = Uri.EscapeDataString(document.Number),
        ["owner"] = Uri.EscapeDataString(document.OwnerCustomerId),
        ["filename"] = Uri.EscapeDataString(document.FileName),
        ["sha256"] = document.Sha256,
        ["issuedat"] = document.IssuedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    };

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}
