using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Platform.Documents;

public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>Base64 of 32+ random bytes that sign download links; locally made per run when empty (links then end with the process).</summary>
    public string LinkSigningKey { get; set; } = string.Empty;

    /// <summary>How long a download link works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>A signed, short-lived download link's parts.</summary>
public sealed record DocumentLink(string TenantId, string DocumentId, int Version, DateTimeOffset ExpiresAt, string Signature)
{
    public string Query =>
        string.Create(CultureInfo.InvariantCulture, $"t={Uri.EscapeDataString(TenantId)}&d={Uri.EscapeDataString(DocumentId)}&v={Version}&e={ExpiresAt.ToUnixTimeSeconds()}&s={Signature}");
}

/// <summary>
/// Signs and checks download links: HMAC-SHA256 over tenant, document, version and expiry, so a link opens
/// exactly one version of one tenant's document until it expires, and nothing else.
/// </summary>
public sealed class DocumentLinks
{
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public DocumentLinks(IOptions<DocumentOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.LinkSigningKey.Length > 0 ? Convert.FromBase64String(options.Value.LinkSigningKey) : RandomNumberGenerator.GetBytes(32);
        _lifetime = options.Value.LinkLifetime;
        _time = time;
    }

    public DocumentLink Create(string tenantId, string documentId, int version) => Create(tenantId, documentId, version, _lifetime);

    /// <summary>A link with its own lifetime: a link a customer acts on by mail (an estimate to approve) works for days, not minutes.</summary>
    public DocumentLink Create(string tenantId, string documentId, int version, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var expires = DateTimeOffset.FromUnixTimeSeconds((_time.GetUtcNow() + lifetime).ToUnixTimeSeconds());
        return new DocumentLink(tenantId, documentId, version, expires, Sign(tenantId, documentId, version, expires.ToUnixTimeSeconds()));
    }

    /// <returns>Whether the signature is ours and the link has not expired.</returns>
    public bool IsValid(string tenantId, string documentId, int version, long expiresUnixSeconds, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(tenantId, documentId, version, expiresUnixSeconds));
        var given = Encoding.ASCII.GetBytes(signature ?? string.Empty);
        return CryptographicOperations.FixedTimeEquals(expected, given) && _time.GetUtcNow().ToUnixTimeSeconds() < expiresUnixSeconds;
    }

    private string Sign(string tenantId, string documentId, int version, long expires)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{tenantId.Length}:{tenantId}|{documentId.Length}:{documentId}|{version}|{expires}");
        return Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
