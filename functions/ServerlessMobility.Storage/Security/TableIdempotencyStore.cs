using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ServerlessMobility.Platform.Security.Idempotency;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Security;

/// <summary>
/// Idempotency keys in Azure Tables. Scope and key are hashed into the row key, so any characters a
/// client sends are safe; the first insert wins the claim atomically.
/// </summary>
public sealed class TableIdempotencyStore(StorageClients storage) : IIdempotencyStore
{
    private readonly TableClient _table = storage.GetTable("IdempotencyKeys");
    private int _created;

    public async Task<IdempotencyRecord?> TryBeginAsync(string scope, string key, string fingerprint, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var (partition, row) = Keys(scope, key);
        try
        {
            await _table.AddEntityAsync(new TableEntity(partition, row) { ["Fingerprint"] = fingerprint }, cancellationToken);
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                // Abandoned between our insert and read: claim it again.
                return await TryBeginAsync(scope, key, fingerprint, cancellationToken);
            }

            var entity = existing.Value!;
            return new IdempotencyRecord(
                entity.GetString("Fingerprint"),
                entity.GetInt32("StatusCode"),
                entity.GetString("ResponseJson"),
                entity.GetString("Location"),
                entity.Timestamp ?? DateTimeOffset.MinValue);
        }
    }

    public async Task CompleteAsync(string scope, string key, IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (partition, row) = Keys(scope, key);
        await _table.UpsertEntityAsync(
            new TableEntity(partition, row)
            {
                ["Fingerprint"] = record.Fingerprint,
                ["StatusCode"] = record.StatusCode,
                ["ResponseJson"] = record.ResponseJson,
                ["Location"] = record.Location,
                ["CompletedAt"] = record.CreatedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task AbandonAsync(string scope, string key, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Keys(scope, key);
        await _table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            Volatile.Write(ref _created, 1);
        }
    }

    private static (string Partition, string Row) Keys(string scope, string key)
    {
        var scopeHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)));
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return (scopeHash[..32], keyHash);
    }
}
