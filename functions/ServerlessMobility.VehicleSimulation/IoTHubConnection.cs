using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMobility.VehicleSimulation;

/// <summary>
/// Where and how a vehicle connects: the local broker (plain MQTT on loopback, any credentials) or a
/// real IoT Hub from a device connection string (MQTT over TLS on 8883 with a SAS token).
/// </summary>
public sealed record IoTHubConnection(string Host, int Port, bool UseTls, string DeviceId, string UserName, string? Password)
{
    public const string ApiVersion = "2021-04-12";

    public static IoTHubConnection Local(string deviceId, int port, string host = "127.0.0.1") =>
        new(host, port, false, deviceId, $"local.azure-devices.net/{deviceId}/?api-version={ApiVersion}", "local-development");

    /// <summary>From "HostName=...;DeviceId=...;SharedAccessKey=..." (the device connection string IoT Hub shows).</summary>
    public static IoTHubConnection FromConnectionString(string connectionString, TimeProvider timeProvider, TimeSpan? tokenLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("HostName", out var hostName) || !parts.TryGetValue("DeviceId", out var deviceId) || !parts.TryGetValue("SharedAccessKey", out var key))
        {
            throw new FormatException("The connection string needs HostName, DeviceId and SharedAccessKey.");
        }

        var expiry = timeProvider.GetUtcNow() + (tokenLifetime ?? TimeSpan.FromHours(1));
        var token = SasToken.Create($"{hostName}/devices/{deviceId}", key, expiry);
        return new(hostName, 8883, true, deviceId, $"{hostName}/{deviceId}/?api-version={ApiVersion}", token);
    }
}

/// <summary>IoT Hub's shared access signature: HMAC-SHA256 of "{url-encoded resource}\n{expiry}" with the base64 key.</summary>
public static class SasToken
{
    public static string Create(string resourceUri, string base64Key, DateTimeOffset expiresAt, string? policyName = null)
    {
        ArgumentNullException.ThrowIfNull(resourceUri);
        ArgumentNullException.ThrowIfNull(base64Key);
        var encodedResource = Uri.EscapeDataString(resourceUri);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry)));
        var token = $"SharedAccessSignature sr={encodedResource}&sig={Uri.EscapeDataString(signature)}&se={expiry}";
        return policyName is null ? token : token + "&skn=" + Uri.EscapeDataString(policyName);
    }
}
