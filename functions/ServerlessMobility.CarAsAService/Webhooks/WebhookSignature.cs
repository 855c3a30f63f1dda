using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMobility.CarAsAService.Webhooks;

public sealed class WebhookOptions
{
    public const string SectionName = "CarAsAService:Webhooks";
    public const string SignatureHeader = "X-Signature";
    public const string TimestampHeader = "X-Signature-Timestamp";

    /// <summary>Shared secret of the payment provider (configuration / Key Vault, never in code).</summary>
    public string PaymentsSecret { get; set; } = string.Empty;

    public string FactorySecret { get; set; } = string.Empty;

    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// HMAC-SHA256 over "{unix timestamp}.{raw body}", hex encoded. The timestamp is inside the MAC so a
/// captured request cannot be replayed later with a fresh timestamp.
/// </summary>
public static class WebhookSignature
{
    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    /// <summary>True when the timestamp is within the tolerance of now and the signature matches.</summary>
    public static bool IsValid(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if ((now - sentAt).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        var actual = Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant());

        // Constant time, so the comparison leaks nothing about how many leading characters matched.
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
