using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMobility.Platform.Security.Audit;

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

    /// <summary>The after-hash of a change settled from the outbox whose result was never recorded (a crash mid-request).</summary>
    public const string OutcomeUnknown = "outcome-unknown";

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

/// <param name="PendingChanges">
/// Changes under way whose outcome is not in the chain yet (younger than <see cref="AuditLedgerOptions.SettleAfter"/>);
/// older ones were settled into the chain before verifying.
/// </param>
/// <param name="Anchors">The chain against its heads in append-only storage, when they were checked (<see cref="AuditAnchoring"/>).</param>
public sealed record AuditVerification(bool IsValid, long VerifiedRecords, long? FirstBrokenSequence, string? Reason, long PendingChanges = 0,
    AnchorVerification? Anchors = null)
{
    public static AuditVerification Broken(long verified, long sequence, string reason) => new(false, verified, sequence, reason);
}

/// <summary>A change announced to the ledger before it is made: its outbox row, until the change's outcome is in the chain.</summary>
public sealed record AuditIntent(string TenantId, string Id, AuditEntry Entry, DateTimeOffset BegunAt);

public sealed class AuditLedgerOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// How long an announced change may stay unsettled (longer than any request runs). After that, reading or
    /// verifying the tenant's chain appends it from the outbox: with its result's hash when that was recorded, else
    /// marked <see cref="AuditChain.OutcomeUnknown"/>.
    /// </summary>
    public TimeSpan SettleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the local host copies moved chain heads to append-only storage (the Functions app: hourly timer).</summary>
    public TimeSpan AnchorInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The append-only store of audit records, one chain per tenant. A change and its record cannot part: the
/// change is announced first (<see cref="BeginAsync"/>, an outbox row in the tenant's ledger partition; if that
/// write fails the change is not made), then its outcome is appended to the chain in the same transaction that
/// removes the outbox row (<see cref="CompleteAsync"/>), or the row is removed when nothing changed
/// (<see cref="AbandonAsync"/>). A row left behind by a failed completion or a crash is settled into the chain on the
/// next read or verification, so a change can never be missing from a chain that verifies.
/// </summary>
public interface IAuditLedger
{
    /// <summary>Announces a change and its outcome in one step (callers that have already made the change durable elsewhere).</summary>
    Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Writes the outbox row for a change about to be made; <see cref="AuditEntry.AfterHash"/> is ignored.</summary>
    Task<AuditIntent> BeginAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Appends the change's record with its result's hash and removes the outbox row, in one transaction.</summary>
    Task<AuditRecord> CompleteAsync(AuditIntent intent, string afterHash, CancellationToken cancellationToken = default);

    /// <summary>Removes the outbox row of a change that was not made (the request failed).</summary>
    Task AbandonAsync(AuditIntent intent, CancellationToken cancellationToken = default);

    Task<AuditVerification> VerifyAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Every tenant's chain head (for anchoring them to append-only storage).</summary>
    Task<IReadOnlyList<AuditHead>> HeadsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records in sequence order, starting after <paramref name="afterSequence"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAsync(string tenantId, long afterSequence, int maxRecords, CancellationToken cancellationToken = default);
}
