using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ServerlessMobility.Platform.Security.Audit;
using Microsoft.Extensions.Options;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Security;

/// <summary>
/// The audit ledger in Azure Tables: one partition per tenant, a "head" row holding the last
/// sequence and hash, and one row per record. Each append writes the new record and moves the head
/// in one entity-group transaction guarded by the head's ETag, so concurrent appends never fork the
/// chain: the loser re-reads the head and links after the winner.
/// </summary>
/// <remarks>
/// The ledger is also the outbox of the changes it audits: <see cref="BeginAsync"/> writes a pending row ("p...") in
/// the tenant's partition before a change is made, and the record that completes it is appended in the same
/// transaction that deletes that row. Pending rows older than <see cref="AuditLedgerOptions.SettleAfter"/> are settled
/// into the chain (same transaction again) before the chain is read or verified.
/// </remarks>
public sealed class TableAuditLedger(StorageClients storage, TimeProvider time, IOptions<AuditLedgerOptions> options) : IAuditLedger
{
    private const string HeadRowKey = "head";
    private const string RecordPrefix = "r";
    private const string PendingPrefix = "p";
    private const int MaxAttempts = 20;
    private readonly TableClient _table = storage.GetTable("AuditLedger");
    private int _created;

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await EnsureTableAsync(cancellationToken);
        return (await AppendCoreAsync(entry, time.GetUtcNow(), removePending: null, cancellationToken))!;
    }

    public async Task<AuditIntent> BeginAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await EnsureTableAsync(cancellationToken);
        var now = time.GetUtcNow();
        var id = PendingPrefix + now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        await _table.AddEntityAsync(new TableEntity(PartitionKey(entry.TenantId), id)
        {
            ["TenantId"] = entry.TenantId,
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["Resource"] = entry.Resource,
            ["BeforeHash"] = entry.BeforeHash,
            ["BegunAt"] = now,
        }, cancellationToken);
        return new AuditIntent(entry.TenantId, id, entry with { AfterHash = string.Empty }, now);
    }

    public async Task<AuditRecord> CompleteAsync(AuditIntent intent, string afterHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        try
        {
            return await AppendCoreAsync(intent.Entry with { AfterHash = afterHash }, time.GetUtcNow(), intent.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Audit intent {intent.Id} was settled before it completed.");
        }
        catch (Exception ex) when (ex is RequestFailedException or TableTransactionFailedException)
        {
            // Keep the outcome with the outbox row, so that settling it later records the real result.
            try
            {
                await _table.UpdateEntityAsync(new TableEntity(PartitionKey(intent.TenantId), intent.Id) { ["AfterHash"] = afterHash }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException)
            {
                // The row stays as it was: settled as outcome unknown.
            }

            throw;
        }
    }

    public async Task AbandonAsync(AuditIntent intent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        try
        {
            await _table.DeleteEntityAsync(PartitionKey(intent.TenantId), intent.Id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }

    /// <summary>Appends a record (and deletes the pending row it settles) in one transaction; null when that row is already gone.</summary>
    private async Task<AuditRecord?> AppendCoreAsync(AuditEntry entry, DateTimeOffset occurredAt, string? removePending, CancellationToken cancellationToken)
    {
        var partition = PartitionKey(entry.TenantId);
        for (var attempt = 1; ; attempt++)
        {
            var head = await _table.GetEntityIfExistsAsync<TableEntity>(partition, HeadRowKey, cancellationToken: cancellationToken);
            var previousSequence = head.HasValue ? head.Value!.GetInt64("Sequence") ?? 0 : 0;
            var previousHash = head.HasValue ? head.Value!.GetString("Hash") : AuditChain.GenesisHash;
            var record = AuditChain.Link(entry, previousSequence + 1, occurredAt, previousHash);

            var newHead = new TableEntity(partition, HeadRowKey) { ["Sequence"] = record.Sequence, ["Hash"] = record.Hash };
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, ToEntity(partition, record)),
                head.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, head.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, newHead),
            };
            if (removePending is not null)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, removePending), ETag.All));
            }

            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
                return record;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404 && removePending is not null && ex.FailedTransactionActionIndex == 2)
            {
                // Another caller settled or completed this change first.
                return null;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another append won the race for this sequence number; link after it.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>Appends every pending change older than the settle window; returns how many younger ones are still under way.</summary>
    private async Task<long> SettleAsync(string tenantId, CancellationToken cancellationToken)
    {
        var partition = PartitionKey(tenantId);
        var cutoff = time.GetUtcNow() - options.Value.SettleAfter;
        long underWay = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>($"PartitionKey eq '{partition}' and RowKey gt '{PendingPrefix}' and RowKey lt 'q'", cancellationToken: cancellationToken))
        {
            var begunAt = row.GetDateTimeOffset("BegunAt") ?? DateTimeOffset.MinValue;
            if (begunAt > cutoff)
            {
                underWay++;
                continue;
            }

            var entry = new AuditEntry(
                row.GetString("TenantId") ?? tenantId,
                row.GetString("Actor") ?? string.Empty,
                row.GetString("Action") ?? string.Empty,
                row.GetString("Resource") ?? string.Empty,
                row.GetString("BeforeHash") ?? string.Empty,
                row.GetString("AfterHash") is { Length: > 0 } after ? after : AuditChain.OutcomeUnknown);
            await AppendCoreAsync(entry, begunAt, row.RowKey, cancellationToken);
        }

        return underWay;
    }

    public async Task<AuditVerification> VerifyAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var underWay = await SettleAsync(tenantId, cancellationToken);
        var partition = PartitionKey(tenantId);
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(partition, HeadRowKey, cancellationToken: cancellationToken);
        var records = new List<AuditRecord>();
        await foreach (var entity in QueryRecords(partition, 0, cancellationToken))
        {
            records.Add(FromEntity(entity));
        }

        (long, string)? headState = head.HasValue ? (head.Value!.GetInt64("Sequence") ?? 0, head.Value.GetString("Hash")) : null;
        return AuditChain.Verify(records, headState) with { PendingChanges = underWay };
    }

    public async Task<IReadOnlyList<AuditHead>> HeadsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var heads = new List<AuditHead>();

        // One row per tenant; the partition key is the escaped tenant id.
        await foreach (var head in _table.QueryAsync<TableEntity>($"RowKey eq '{HeadRowKey}'", cancellationToken: cancellationToken))
        {
            heads.Add(new AuditHead(Uri.UnescapeDataString(head.PartitionKey), head.GetInt64("Sequence") ?? 0, head.GetString("Hash")));
        }

        return heads;
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string tenantId, long afterSequence, int maxRecords, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        await SettleAsync(tenantId, cancellationToken);
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
