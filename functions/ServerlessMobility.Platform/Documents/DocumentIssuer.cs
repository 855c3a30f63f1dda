using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Security.Audit;

namespace ServerlessMobility.Platform.Documents;

public sealed record IssueDocumentRequest(string TenantId, string DocumentId, string OwnerCustomerId, DocumentContent Content, string FileName);

/// <summary>
/// Issues documents: renders the PDF, stores it as a new immutable version and records its SHA-256 in the
/// tenant's audit ledger. Issuing is idempotent: while a version exists, <see cref="IssueAsync"/> returns it
/// (activities run at least once); <see cref="ReissueAsync"/> makes the next version on purpose.
/// </summary>
public sealed class DocumentIssuer(IDocumentArchive archive, IAuditLedger audit, PdfDocumentRenderer renderer, IOptions<TenantProfileOptions> tenants, TimeProvider time)
{
    public const string AuditAction = "document.issued";

    public async Task<IssuedDocument> IssueAsync(IssueDocumentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var latest = await archive.GetLatestAsync(request.TenantId, request.DocumentId, cancellationToken).ConfigureAwait(false);
        return latest is not null
            ? await EnsureAuditedAsync(latest, cancellationToken).ConfigureAwait(false)
            : await CreateVersionAsync(request, 1, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IssuedDocument> ReissueAsync(IssueDocumentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var latest = await archive.GetLatestAsync(request.TenantId, request.DocumentId, cancellationToken).ConfigureAwait(false);
        return await CreateVersionAsync(request, (latest?.Version ?? 0) + 1, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IssuedDocument> CreateVersionAsync(IssueDocumentRequest request, int version, CancellationToken cancellationToken)
    {
        var pdf = renderer.Render(request.Content, tenants.Value.For(request.TenantId));
        var document = new IssuedDocument(request.TenantId, request.DocumentId, version, request.Content.Kind, request.Content.Number, request.OwnerCustomerId,
            request.FileName, Convert.ToHexStringLower(SHA256.HashData(pdf)), time.GetUtcNow());

        // Of two concurrent issuers only one creates the version; the other gets it back and audits nothing new.
        var (stored, _) = await archive.CreateAsync(document, pdf, cancellationToken).ConfigureAwait(false);
        return await EnsureAuditedAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// The blob is stored first and its hash audited after: a crash in between leaves a version marked unaudited,
    /// which the next issue call (the activity's retry) audits. A crash after the ledger append but before the
    /// mark appends the same hash twice: two records for one document, which verification accepts.
    /// </remarks>
    private async Task<IssuedDocument> EnsureAuditedAsync(IssuedDocument document, CancellationToken cancellationToken)
    {
        if (document.Audited)
        {
            return document;
        }

        await audit.AppendAsync(new AuditEntry(document.TenantId, "system:documents", AuditAction,
            $"documents/{document.DocumentId}/v{document.Version}", string.Empty, document.Sha256), cancellationToken).ConfigureAwait(false);
        await archive.MarkAuditedAsync(document.TenantId, document.DocumentId, document.Version, cancellationToken).ConfigureAwait(false);
        return document with { Audited = true };
    }
}
