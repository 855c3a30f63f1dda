namespace ServerlessMobility.Workshop.Approval;

/// <summary>The owner's answer to one estimate line.</summary>
public sealed record LineDecision(string LineId, bool Approved);

/// <summary>
/// The owner's decision on an estimate: every line approved or declined, when, and the hash of exactly the estimate
/// that was shown, so a later dispute can be settled against the estimate's canonical form.
/// </summary>
public sealed record ApprovalRecord(int EstimateVersion, string EstimateHash, IReadOnlyList<LineDecision> Decisions, DateTimeOffset DecidedAt)
{
    public bool IsApproved(string lineId) => Decisions.Any(d => d.Approved && string.Equals(d.LineId, lineId, StringComparison.Ordinal));
}
