using System.Globalization;

namespace ServerlessMobility.Platform.Security.Audit;

/// <summary>A tenant's chain head as the ledger holds it now.</summary>
public sealed record AuditHead(string TenantId, long Sequence, string Hash);

/// <summary>A chain head copied to append-only storage at a moment: the ledger must still hold that record with that hash.</summary>
public sealed record AuditAnchor(string TenantId, long Sequence, string Hash, DateTimeOffset AnchoredAt);

/// <summary>Whether the ledger still holds every anchored head.</summary>
/// <param name="LastAnchor">The newest anchor when all hold; otherwise the first one the ledger contradicts.</param>
public sealed record AnchorVerification(bool IsValid, int CheckedAnchors, AuditAnchor? LastAnchor, string? Reason)
{
    public static AnchorVerification Valid(int checkedAnchors, AuditAnchor? last) => new(true, checkedAnchors, last, null);
}

/// <summary>
/// Append-only storage of chain heads, outside the ledger's own store: an append blob per tenant, in Azure in a
/// container with a time-based immutability policy that allows only appends. Rewriting the whole ledger (every record
/// re-hashed, so its own chain verifies) cannot rewrite what was anchored earlier.
/// </summary>
public interface IAuditAnchorStore
{
    Task AppendAsync(AuditAnchor anchor, CancellationToken cancellationToken = default);

    /// <summary>The tenant's anchors, oldest first; none when nothing was anchored yet.</summary>
    Task<IReadOnlyList<AuditAnchor>> ReadAsync(string tenantId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Copies each tenant's chain head to <see cref="IAuditAnchorStore"/> when it moved since the last anchor (a timer in
/// the Functions app, a periodic round in the local host), and checks a ledger against its anchors. Anyone holding an
/// earlier receipt can then show an edit, and so can the platform itself after a wholesale rewrite of the ledger.
/// </summary>
public sealed class AuditAnchoring(IAuditLedger ledger, IAuditAnchorStore anchors, TimeProvider time)
{
    /// <returns>How many tenants got a new anchor.</returns>
    public async Task<int> AnchorAsync(CancellationToken cancellationToken = default)
    {
        var anchored = 0;
        foreach (var head in await ledger.HeadsAsync(cancellationToken))
        {
            var existing = await anchors.ReadAsync(head.TenantId, cancellationToken);
            if (existing.Count > 0 && existing[^1].Sequence == head.Sequence && string.Equals(existing[^1].Hash, head.Hash, StringComparison.Ordinal))
            {
                continue;
            }

            await anchors.AppendAsync(new AuditAnchor(head.TenantId, head.Sequence, head.Hash, time.GetUtcNow()), cancellationToken);
            anchored++;
        }

        return anchored;
    }

    /// <summary>
    /// The tenant's chain verified on its own and against its anchors: a ledger rewritten wholesale verifies on its own,
    /// but no longer holds what was anchored.
    /// </summary>
    public async Task<AuditVerification> VerifyChainAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var chain = await ledger.VerifyAsync(tenantId, cancellationToken);
        var anchored = await VerifyAsync(tenantId, cancellationToken);
        return chain with
        {
            IsValid = chain.IsValid && anchored.IsValid,
            Reason = chain.Reason ?? anchored.Reason,
            FirstBrokenSequence = chain.FirstBrokenSequence ?? (anchored.IsValid ? null : anchored.LastAnchor?.Sequence),
            Anchors = anchored,
        };
    }

    /// <summary>Every anchor of the tenant must name a record the ledger still holds, with the same hash.</summary>
    public async Task<AnchorVerification> VerifyAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var tenantAnchors = await anchors.ReadAsync(tenantId, cancellationToken);
        foreach (var anchor in tenantAnchors)
        {
            var held = await ledger.ReadAsync(tenantId, anchor.Sequence - 1, 1, cancellationToken);
            if (held.Count == 0 || held[0].Sequence != anchor.Sequence)
            {
                return new AnchorVerification(false, tenantAnchors.Count, anchor,
                    Invariant($"Record {anchor.Sequence}, anchored at {anchor.AnchoredAt:O}, is no longer in the ledger."));
            }

            if (!string.Equals(held[0].Hash, anchor.Hash, StringComparison.Ordinal))
            {
                return new AnchorVerification(false, tenantAnchors.Count, anchor,
                    Invariant($"Record {anchor.Sequence} was rewritten: the anchor of {anchor.AnchoredAt:O} holds hash {anchor.Hash}, the ledger now {held[0].Hash}."));
            }
        }

        return AnchorVerification.Valid(tenantAnchors.Count, tenantAnchors.Count > 0 ? tenantAnchors[^1] : null);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
