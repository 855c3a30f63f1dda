namespace ServerlessMobility.Platform.Documents;

/// <summary>
/// One issued version of a document. Its bytes never change once stored: a correction is a new version,
/// and <see cref="Sha256"/> (also in the tenant's audit ledger) proves which bytes were issued.
/// </summary>
/// <param name="DocumentId">Stable for the business fact (invoice of one order), shared by every version.</param>
/// <param name="OwnerCustomerId">The customer who may download it besides the tenant's staff.</param>
/// <param name="Audited">The hash is in the audit ledger (a crash between storing and auditing leaves it false until the next issue call).</param>
public sealed record IssuedDocument(
    string TenantId,
    string DocumentId,
    int Version,
    string Kind,
    string Number,
    string OwnerCustomerId,
    string FileName,
    string Sha256,
    DateTimeOffset IssuedAt,
    bool Audited = false)
{
    public const string PdfContentType = "application/pdf";
}

/// <summary>Issued documents as immutable blobs, one per version.</summary>
public interface IDocumentArchive
{
    /// <summary>Stores a new version; never overwrites.</summary>
    /// <returns>The stored metadata: <paramref name="document"/> when this call created it, else the version stored first.</returns>
    Task<(IssuedDocument Document, bool Created)> CreateAsync(IssuedDocument document, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <returns>null when the document has no version yet.</returns>
    Task<IssuedDocument?> GetLatestAsync(string tenantId, string documentId, CancellationToken cancellationToken = default);

    Task<IssuedDocument?> GetAsync(string tenantId, string documentId, int version, CancellationToken cancellationToken = default);

    Task<byte[]?> ReadAsync(string tenantId, string documentId, int version, CancellationToken cancellationToken = default);

    /// <summary>Records that the version's hash is in the audit ledger (metadata only; the bytes stay as issued).</summary>
    Task MarkAuditedAsync(string tenantId, string documentId, int version, CancellationToken cancellationToken = default);
}

/// <summary>A party on a document.</summary>
public sealed record DocumentParty(string Name, IReadOnlyList<string> Lines);

/// <summary>One priced line; <see cref="Net"/> before tax.</summary>
/// <param name="Country">The country whose tax this line bears when it is not the document's (a feature used on a vehicle registered elsewhere).</param>
/// <param name="Tax">The tax as the product line computed and charged it; null lets the renderer compute it per rate.</param>
public sealed record DocumentLine(string Description, decimal Net, decimal TaxRate, string? Country = null, decimal? Tax = null);

/// <summary>An amount after the totals; <paramref name="Label"/> is a key of Templates/labels.json (depositPaid, balanceDue, paymentReceived, outstanding) or shown as given.</summary>
public sealed record DocumentAmount(string Label, decimal Amount);

/// <summary>
/// What a document shows, built by the product line in the customer's language; the renderer adds the
/// tenant's legal details, the per-country tax lines and the totals.
/// </summary>
/// <param name="Kind">invoice, statement, receipt, ...: the document family (and title key in Templates/documents.json).</param>
/// <param name="Country">ISO 3166-1 alpha-2 country whose tax rules apply (the place of supply).</param>
public sealed record DocumentContent(
    string Kind,
    string Number,
    string Language,
    string Country,
    string Currency,
    DateTimeOffset IssuedAt,
    DocumentParty Customer,
    IReadOnlyList<DocumentLine> Lines,
    IReadOnlyList<DocumentAmount>? Settlements = null,
    IReadOnlyList<string>? Notes = null,
    string? Reference = null);
