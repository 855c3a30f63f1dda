using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMobility.Core.Security.Audit;

/// <summary>
/// One append-only audit record. Records of a tenant form a hash chain: each holds the previous
/// record's hash, so editing, removing or reordering any record breaks every link after it.
/// </summary>
/// <param name="BeforeHash">Hash of the state (or command) before the change; empty when there was none.</param>
/// <param name="AfterHash">Hash of the state (or result) after the change.</param>
public sealed record AuditRecord(
    long Sequence,
    string TenantId,
    string Actor,
    string Action,
    string Resource,
    DateTimeOffset OccurredAt,
    string BeforeHash,
    string AfterHash,
    string PreviousHash,
    string Hash);

/// <summary>What a command reports to the ledger; sequence and hashes of the chain are added on append.</summary>
public sealed record AuditEntry(string TenantId, string Actor, string Action, string Resource, string BeforeHash, string AfterHash);

/// <summary>The pure hashing rules of the chain, shared by the writer and the verifier.</summary>
public static class AuditChain
{
    public static readonly string GenesisHash = new('0', 64);

    public static AuditRecord Link(AuditEntry entry, long sequence, DateTimeOffset occurredAt, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var record = new AuditRecord(sequence, entry.TenantId, entry.Actor, entry.Action, entry.Resource, occurredAt.ToUniversalTime(), entry.BeforeHash, entry.AfterHash, previousHash, string.Empty);
        return record with { Hash = ComputeHash(record) };
    }

    /// <summary>SHA-256 over a canonical, unambiguous encoding of every field except the hash itself.</summary>
    public static string ComputeHash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var builder = new StringBuilder();
        foreach (var field in new[]
                 {
                     record.Sequence.ToString(CultureInfo.InvariantCulture), record.TenantId, record.Actor, record.Action, record.Resource,
                     record.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), record.BeforeHash, record.AfterHash, record.PreviousHash,
                 })
        {
            // Length-prefixed so that moving characters between fields changes the hash.
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append(';');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>SHA-256 of arbitrary content, for the before/after hashes.</summary>
    public static string HashContent(string? content) =>
        content is null ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>Walks records in sequence order and reports the first broken link, if any.</summary>
    /// <param name="head">The ledger's own record of its last sequence and hash; detects records cut from the end.</param>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records, (long Sequence, string Hash)? head)
    {
        ArgumentNullException.ThrowIfNull(records);
        var expectedPrevious = GenesisHash;
        long expectedSequence = 1;
        long count = 0;
        foreach (var record in records)
        {
            if (record.Sequence != expectedSequence)
            {
                return AuditVerification.Broken(count, expectedSequence, $"Record {expectedSequence} is missing (found {record.Sequence}).");
            }

            if (!string.Equals(record.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                return AuditVerification.Broken(count, record.Sequence, $"Record {record.Sequence} does not link to record {record.Sequence - 1}.");
            }

            if (!string.Equals(ComputeHash(record), record.Hash, StringComparison.Ordinal))
            {
                return AuditVerification.Broken(count, record.Sequence, $"Record {record.Sequence} was altered: its content does not match its hash.");
            }

            expectedPrevious = record.Hash;
            expectedSequence++;
            count++;
        }

        if (head is { } h && (h.Sequence != count || (count > 0 && !string.Equals(h.Hash, expectedPrevious, StringComparison.Ordinal))))
        {
            return AuditVerification.Broken(count, count + 1, $"The ledger head says {h.Sequence} records, but the chain holds {count}: records were removed from the end.");
        }

        return new AuditVerification(true, count, null, null);
    }
}

public sealed record AuditVerification(bool IsValid, long VerifiedRecords, long? FirstBrokenSequence, string? Reason)
{
    public static AuditVerification Broken(long verified, long sequence, string reason) => new(false, verified, sequence, reason);
}

/// <summary>The append-only store of audit records, one chain per tenant.</summary>
public interface IAuditLedger
{
    Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    Task<AuditVerification> VerifyAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Records in sequence order, starting after <paramref name="afterSequence"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAsync(string tenantId, long afterSequence, int maxRecords, CancellationToken cancellationToken = default);
}
