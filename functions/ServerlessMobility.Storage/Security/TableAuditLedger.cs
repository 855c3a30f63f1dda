using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ServerlessMobility.Core.Security.Audit;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Security;

/// <summary>
/// The audit ledger in Azure Tables: one partition per tenant, a "head" row holding the last
/// sequence and hash, and one row per record. Each append writes the new record and moves the head
/// in one entity-group transaction guarded by the head's ETag, so concurrent appends never fork the
/// chain: the loser re-reads the head and links after the winner.
/// </summary>
public sealed class TableAuditLedger(StorageClients storage, TimeProvider time) : IAuditLedger
{
    private const string HeadRowKey = "head";
    private const string RecordPrefix = "r";
    private const int MaxAttempts = 20;
    private readonly TableClient _table = storage.GetTable("AuditLedger");
    private int _created;

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await EnsureTableAsync(cancellationToken);
        var partition = PartitionKey(entry.TenantId);
        for (var attempt = 1; ; attempt++)
        {
            var head = await _table.GetEntityIfExistsAsync<TableEntity>(partition, HeadRowKey, cancellationToken: cancellationToken);
            var previousSequence = head.HasValue ? head.Value!.GetInt64("Sequence") ?? 0 : 0;
            var previousHash = head.HasValue ? head.Value!.GetString("Hash") : AuditChain.GenesisHash;
            var record = AuditChain.Link(entry, previousSequence + 1, time.GetUtcNow(), previousHash);

            var newHead = new TableEntity(partition, HeadRowKey) { ["Sequence"] = record.Sequence, ["Hash"] = record.Hash };
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, ToEntity(partition, record)),
                head.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, head.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, newHead),
            };
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
                return record;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another append won the race for this sequence number; link after it.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    public async Task<AuditVerification> VerifyAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var partition = PartitionKey(tenantId);
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(partition, HeadRowKey, cancellationToken: cancellationToken);
        var records = new List<AuditRecord>();
        await foreach (var entity in QueryRecords(partition, 0, cancellationToken))
        {
            records.Add(FromEntity(entity));
        }

        (long, string)? headState = head.HasValue ? (head.Value!.GetInt64("Sequence") ?? 0, head.Value.GetString("Hash")) : null;
        return AuditChain.Verify(records, headState);
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string tenantId, long afterSequence, int maxRecords, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var records = new List<AuditRecord>();
        await foreach (var entity in QueryRecords(PartitionKey(tenantId), afterSequence, cancellationToken))
        {
            records.Add(FromEntity(entity));
            if (records.Count >= maxRecords)
            {
                break;
            }
        }

        return records;
    }

    private AsyncPageable<TableEntity> QueryRecords(string partition, long afterSequence, CancellationToken cancellationToken) =>
        _table.QueryAsync<TableEntity>(
            $"PartitionKey eq '{partition}' and RowKey gt '{RowKey(afterSequence)}' and RowKey lt 's'",
            cancellationToken: cancellationToken);

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            Volatile.Write(ref _created, 1);
        }
    }

    /// <summary>Tenant ids become partition keys; characters Azure Tables forbids there are escaped.</summary>
    private static string PartitionKey(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return Uri.EscapeDataString(tenantId).Replace("'", "%27", StringComparison.Ordinal);
    }

    private static string RowKey(long sequence) => RecordPrefix + sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(string partition, AuditRecord record) => new(partition, RowKey(record.Sequence))
    {
        ["Sequence"] = record.Sequence,
        ["TenantId"] = record.TenantId,
        ["Actor"] = record.Actor,
        ["Action"] = record.Action,
        ["Resource"] = record.Resource,
        ["OccurredAt"] = record.OccurredAt,
        ["BeforeHash"] = record.BeforeHash,
        ["AfterHash"] = record.AfterHash,
        ["PreviousHash"] = record.PreviousHash,
        ["Hash"] = record.Hash,
    };

    private static AuditRecord FromEntity(TableEntity entity) => new(
        entity.GetInt64("Sequence") ?? 0,
        entity.GetString("TenantId"),
        entity.GetString("Actor"),
        entity.GetString("Action"),
        entity.GetString("Resource"),
        entity.GetDateTimeOffset("OccurredAt") ?? DateTimeOffset.MinValue,
        entity.GetString("BeforeHash") ?? string.Empty,
        entity.GetString("AfterHash") ?? string.Empty,
        entity.GetString("PreviousHash"),
        entity.GetString("Hash"));
}
