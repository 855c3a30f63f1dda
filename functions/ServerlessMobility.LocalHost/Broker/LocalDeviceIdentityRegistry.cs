using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Security.Pii;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.LocalHost.Broker;

/// <summary>
/// The local stand-in for IoT Hub's identity registry: one row per device (table "DeviceIdentities",
/// PartitionKey = device id). The broker must recompute each SAS token's HMAC, so it needs the key itself:
/// a hash would not do. The key is therefore stored encrypted (AES-256-GCM by <see cref="PiiProtector"/>,
/// with the device id bound as associated data, so a ciphertext copied to another device's row does not
/// decrypt) and is shown in clear only once, in the response that created or rotated it.
/// </summary>
public sealed class LocalDeviceIdentityRegistry(StorageClients clients, PiiProtector protector, IOptions<MqttBrokerOptions> options, TimeProvider time)
    : IDeviceIdentityRegistry
{
    private const string RowKey = "identity";
    private readonly Lazy<Task<TableClient>> _table = new(async () =>
    {
        var table = clients.GetTable("DeviceIdentities");
        await table.CreateIfNotExistsAsync();
        return table;
    });

    public string HubHostName => options.Value.HubHostName;

    public async Task<DeviceCredentials?> EnsureAsync(string deviceId, bool rotateKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var table = await _table.Value;
        var key = DeviceKeys.NewKey();
        var entity = new TableEntity(deviceId, RowKey)
        {
            ["ProtectedPrimaryKey"] = protector.Protect(key, Purpose(deviceId)),
            ["UpdatedAt"] = time.GetUtcNow(),
        };
        if (rotateKey)
        {
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }
        else
        {
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                return null;
            }
        }

        return new DeviceCredentials(deviceId, HubHostName, key);
    }

    /// <summary>The device's key for checking its SAS tokens; null for a device without an identity.</summary>
    public async Task<byte[]?> GetKeyAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var table = await _table.Value;
        var response = await table.GetEntityIfExistsAsync<TableEntity>(deviceId, RowKey, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value!.GetString("ProtectedPrimaryKey") is not { } protectedKey)
        {
            return null;
        }

        return Convert.FromBase64String(protector.Unprotect(protectedKey, Purpose(deviceId)));
    }

    /// <summary>
    /// For the local host's own demo vehicles only: their credentials, creating the identity when missing. The key
    /// never leaves the process (there is no route for it).
    /// </summary>
    internal async Task<DeviceCredentials> GetOrCreateForDemoAsync(string deviceId, CancellationToken cancellationToken)
    {
        if (await EnsureAsync(deviceId, rotateKey: false, cancellationToken) is { } created)
        {
            return created;
        }

        var key = await GetKeyAsync(deviceId, cancellationToken) ?? throw new InvalidOperationException($"Device '{deviceId}' has no key.");
        return new DeviceCredentials(deviceId, HubHostName, Convert.ToBase64String(key));
    }

    private static string Purpose(string deviceId) => "device-key:" + deviceId;
}
