using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Platform.Security.Pii;

/// <summary>
/// Keys for personal data at rest. Base64 of 32 random bytes each; from configuration locally and
/// from Key Vault references in Azure. Never logged, never in the repository.
/// </summary>
public sealed class PiiOptions
{
    public const string SectionName = "Security:Pii";

    /// <summary>AES-256-GCM key for encrypting fields (document numbers, phone numbers).</summary>
    [Required]
    public string EncryptionKey { get; set; } = string.Empty;

    /// <summary>HMAC-SHA256 key for the searchable hash of a field (find a customer by phone).</summary>
    [Required]
    public string LookupKey { get; set; } = string.Empty;
}

/// <summary>
/// Encrypts personal data fields with AES-256-GCM (random 96-bit nonce, 128-bit tag, a per-field
/// purpose bound as associated data so a ciphertext cannot be moved to another field) and computes
/// keyed lookup hashes so encrypted values remain searchable by equality.
/// </summary>
public sealed class PiiProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _lookupKey;

    public PiiProtector(IOptions<PiiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _encryptionKey = DecodeKey(options.Value.EncryptionKey, nameof(PiiOptions.EncryptionKey));
        _lookupKey = DecodeKey(options.Value.LookupKey, nameof(PiiOptions.LookupKey));
    }

    /// <returns>Base64 of version || nonce || tag || ciphertext.</returns>
    public string Protect(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        return Convert.ToBase64String(output);
    }

    /// <exception cref="CryptographicException">The value was tampered with, or protected for another purpose or key.</exception>
    public string Unprotect(string protectedValue, string purpose)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var input = Convert.FromBase64String(protectedValue);
        if (input.Length < 1 + NonceSize + TagSize || input[0] != FormatVersion)
        {
            throw new CryptographicException("Not a protected value of a known format.");
        }

        var plain = new byte[input.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(input.AsSpan(1, NonceSize), input.AsSpan(1 + NonceSize + TagSize), input.AsSpan(1 + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>A deterministic keyed hash of a normalised value, for equality search without decrypting.</summary>
    public string LookupHash(string value, string purpose)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var normalised = purpose + "\n" + new string(value.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(normalised)));
    }

    private static byte[] DecodeKey(string value, string name)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException ex)
        {
            throw new OptionsValidationException(PiiOptions.SectionName, typeof(PiiOptions), [$"{PiiOptions.SectionName}:{name} must be base64: {ex.Message}"]);
        }

        if (key.Length != 32)
        {
            throw new OptionsValidationException(PiiOptions.SectionName, typeof(PiiOptions), [$"{PiiOptions.SectionName}:{name} must be 32 bytes (base64), not {key.Length}."]);
        }

        return key;
    }
}
