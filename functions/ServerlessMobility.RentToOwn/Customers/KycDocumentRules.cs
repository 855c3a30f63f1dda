using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.RentToOwn.Customers;

/// <summary>The declared content type of a document is not one the rules accept.</summary>
public sealed class UnsupportedMediaTypeException(string message) : DomainException(message)
{
    public override RuleKind Kind => RuleKind.UnsupportedContent;

    public override string Title => "Unsupported media type";
}

/// <summary>
/// Identity document checks: the declared content type must be on the allow list AND the first bytes
/// must match it, so a script renamed to .jpg is refused.
/// </summary>
public static class KycDocumentRules
{
    public const long DefaultMaxBytes = 1024 * 1024;

    private static readonly Dictionary<string, byte[]> MagicBytes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = [0xFF, 0xD8, 0xFF],
        ["image/png"] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
        ["application/pdf"] = "%PDF-"u8.ToArray(),
    };

    public static IReadOnlyCollection<string> AllowedContentTypes => MagicBytes.Keys;

    /// <returns>The normalised content type.</returns>
    /// <exception cref="UnsupportedMediaTypeException">415: content type not allowed.</exception>
    /// <exception cref="RequestValidationException">400: empty file.</exception>
    /// <exception cref="BusinessRuleException">422: too large, or the content does not match the type.</exception>
    public static string Check(string? contentType, ReadOnlySpan<byte> content, long maxBytes)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !MagicBytes.TryGetValue(mediaType, out var magic))
        {
            throw new UnsupportedMediaTypeException($"Identity documents must be one of: {string.Join(", ", AllowedContentTypes)}.");
        }

        if (content.IsEmpty)
        {
            throw RequestValidationException.For("document", "The document is empty.");
        }

        if (content.Length > maxBytes)
        {
            throw new BusinessRuleException("document-too-large", $"Identity documents are at most {maxBytes} bytes.");
        }

        if (!content.StartsWith(magic))
        {
            throw new BusinessRuleException("document-content-mismatch", $"The file content is not {mediaType}.");
        }

        return mediaType;
    }
}
