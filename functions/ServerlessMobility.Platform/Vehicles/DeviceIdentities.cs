using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMobility.Platform.Vehicles;

/// <summary>
/// A vehicle's device credentials, shown once: when its device identity is created or its key is rotated.
/// The connection string is the one IoT Hub shows for a device (HostName, DeviceId, SharedAccessKey).
/// </summary>
public sealed record DeviceCredentials(string DeviceId, string HostName, string PrimaryKey)
{
    public string ConnectionString => $"HostName={HostName};DeviceId={DeviceId};SharedAccessKey={PrimaryKey}";
}

/// <summary>
/// The device identity registry: IoT Hub's in Azure (the Functions app creates the identity through IoT Hub's
/// service API), the local host's own store of protected keys locally (the embedded broker checks SAS tokens
/// against it). Each vehicle is one device identity named by its VIN, authenticated by its own symmetric key.
/// </summary>
public interface IDeviceIdentityRegistry
{
    /// <summary>
    /// Creates the device identity with a new random key if it does not exist, or replaces its keys when
    /// <paramref name="rotateKey"/> is set.
    /// </summary>
    /// <returns>The new credentials, or null when the identity already existed and was left as it is (its key is never shown again).</returns>
    Task<DeviceCredentials?> EnsureAsync(string deviceId, bool rotateKey, CancellationToken cancellationToken);
}

/// <summary>Device keys: 256 random bits, base64, as IoT Hub's own generated keys.</summary>
public static class DeviceKeys
{
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// IoT Hub's shared access signature for a device: <c>SharedAccessSignature sr={url-encoded resource}&amp;sig={url-encoded
/// base64 HMAC-SHA256}&amp;se={unix expiry}</c>, where the signature covers "{url-encoded resource}\n{expiry}" and
/// is keyed with the base64-decoded device key. The resource of a device token is <c>{hub host}/devices/{deviceId}</c>.
/// </summary>
public static class SharedAccessSignature
{
    public const string Prefix = "SharedAccessSignature ";

    public static string Create(string resourceUri, string base64Key, DateTimeOffset expiresAt, string? policyName = null)
    {
        ArgumentNullException.ThrowIfNull(resourceUri);
        ArgumentNullException.ThrowIfNull(base64Key);
        var encodedResource = Uri.EscapeDataString(resourceUri);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(encodedResource, expiry, Convert.FromBase64String(base64Key));
        var token = $"{Prefix}sr={encodedResource}&sig={Uri.EscapeDataString(Convert.ToBase64String(signature))}&se={expiry}";
        return policyName is null ? token : token + "&skn=" + Uri.EscapeDataString(policyName);
    }

    /// <summary>A device token for <paramref name="deviceId"/> on the hub <paramref name="hubHostName"/>.</summary>
    public static string ForDevice(string hubHostName, string deviceId, string base64Key, DateTimeOffset expiresAt) =>
        Create($"{hubHostName}/devices/{deviceId}", base64Key, expiresAt);

    /// <summary>
    /// Checks a device token as IoT Hub does: the resource names this device on this hub, the token has not
    /// expired, carries no policy name (a device signs with its own key) and its signature matches the key.
    /// </summary>
    /// <returns>Null when valid, otherwise why not (for logs only; the device just gets "not authorized").</returns>
    public static string? ValidateDeviceToken(string? token, string hubHostName, string deviceId, ReadOnlySpan<byte> key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hubHostName);
        ArgumentNullException.ThrowIfNull(deviceId);
        if (string.IsNullOrEmpty(token) || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 4096)
        {
            return "no shared access signature";
        }

        string? sr = null, sig = null, se = null, skn = null;
        foreach (var pair in token[Prefix.Length..].Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return "malformed token";
            }

            var value = pair[(eq + 1)..];
            switch (pair[..eq])
            {
                case "sr" when sr is null: sr = value; break;
                case "sig" when sig is null: sig = value; break;
                case "se" when se is null: se = value; break;
                case "skn" when skn is null: skn = value; break;
                default: return "malformed token";
            }
        }

        if (sr is null || sig is null || se is null)
        {
            return "sr, sig and se are required";
        }

        if (skn is not null)
        {
            return "a device signs with its own key, not a policy";
        }

        if (!string.Equals(Uri.UnescapeDataString(sr), $"{hubHostName}/devices/{deviceId}", StringComparison.OrdinalIgnoreCase)
            || !Uri.UnescapeDataString(sr).EndsWith("/devices/" + deviceId, StringComparison.Ordinal))
        {
            return "the token's resource is not this device";
        }

        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || expiry > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return "malformed expiry";
        }

        if (DateTimeOffset.FromUnixTimeSeconds(expiry) <= now)
        {
            return "the token has expired";
        }

        Span<byte> presented = stackalloc byte[64];
        if (!Convert.TryFromBase64String(Uri.UnescapeDataString(sig), presented, out var written) || written != 32)
        {
            return "malformed signature";
        }

        var expected = Sign(sr, se, key);
        return CryptographicOperations.FixedTimeEquals(expected, presented[..written]) ? null : "the signature does not match the device's key";
    }

    private static byte[] Sign(string encodedResource, string expiry, ReadOnlySpan<byte> key) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry));
}
