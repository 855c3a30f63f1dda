using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.VehicleSimulation;

/// <summary>
/// Where and how a vehicle connects: the local broker (plain MQTT on loopback) or a real IoT Hub (MQTT over TLS on
/// 8883). Both want the same credentials: client id = device id, user name <c>{hub}/{deviceId}/?api-version=...</c>
/// and a SAS token signed with the device's own key as the password.
/// </summary>
public sealed record IoTHubConnection(string Host, int Port, bool UseTls, string DeviceId, string UserName, string? Password)
{
    public const string ApiVersion = "2021-04-12";

    /// <summary>The local broker's hub host name unless configured otherwise (<c>Mqtt:HubHostName</c>).</summary>
    public const string LocalHubHostName = "localhost";

    /// <summary>The local broker on loopback, with the device key from the vehicle's registration (<c>POST /api/vehicles</c>).</summary>
    public static IoTHubConnection Local(string deviceId, string deviceKey, int port, TimeProvider? timeProvider = null, string hubHostName = LocalHubHostName, string host = "127.0.0.1", TimeSpan? tokenLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(deviceKey);
        var expiry = (timeProvider ?? TimeProvider.System).GetUtcNow() + (tokenLifetime ?? TimeSpan.FromHours(1));
        return new(host, port, false, deviceId, $"{hubHostName}/{deviceId}/?api-version={ApiVersion}", SharedAccessSignature.ForDevice(hubHostName, deviceId, deviceKey, expiry));
    }

    /// <summary>The local broker on loopback, from the device connection string a registration returned.</summary>
    public static IoTHubConnection LocalFromConnectionString(string connectionString, int port, TimeProvider? timeProvider = null, string host = "127.0.0.1")
    {
        var (hostName, deviceId, key) = Parse(connectionString);
        return Local(deviceId, key, port, timeProvider, hostName, host);
    }

    /// <summary>From "HostName=...;DeviceId=...;SharedAccessKey=..." (the device connection string IoT Hub shows).</summary>
    public static IoTHubConnection FromConnectionString(string connectionString, TimeProvider timeProvider, TimeSpan? tokenLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var (hostName, deviceId, key) = Parse(connectionString);
        var expiry = timeProvider.GetUtcNow() + (tokenLifetime ?? TimeSpan.FromHours(1));
        var token = SasToken.Create($"{hostName}/devices/{deviceId}", key, expiry);
        return new(hostName, 8883, true, deviceId, $"{hostName}/{deviceId}/?api-version={ApiVersion}", token);
    }

    private static (string HostName, string DeviceId, string Key) Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("HostName", out var hostName) || !parts.TryGetValue("DeviceId", out var deviceId) || !parts.TryGetValue("SharedAccessKey", out var key))
        {
            throw new FormatException("The connection string needs HostName, DeviceId and SharedAccessKey.");
        }

        return (hostName, deviceId, key);
    }
}

/// <summary>IoT Hub's shared access signature: HMAC-SHA256 of "{url-encoded resource}\n{expiry}" with the base64 key.</summary>
public static class SasToken
{
    public static string Create(string resourceUri, string base64Key, DateTimeOffset expiresAt, string? policyName = null) =>
        SharedAccessSignature.Create(resourceUri, base64Key, expiresAt, policyName);
}
