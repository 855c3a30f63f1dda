using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.Platform.Vehicles;

/// <summary>Work that falls under one coverage item of a service contract ("engine", "brakes").</summary>
/// <param name="Amount">What the owner would pay for it (the lines' gross amount).</param>
public sealed record CoverageItemClaim(string CoverageItem, Money Amount, string Description);

/// <summary>A workshop asking whether the vehicle's service contract pays for work done in one job.</summary>
/// <param name="WorkshopJobId">The job: claiming again for the same job and item answers the first decision (a retried invoice claims nothing twice).</param>
public sealed record CoverageClaimRequest(string TenantId, string Vin, string WorkshopJobId, int OdometerKm, IReadOnlyList<CoverageItemClaim> Items, string ClaimedBy);

/// <summary>The decision on one item: what the contract pays (0 when rejected) and why not, when not.</summary>
/// <param name="ContractId">The contract the claim was filed against; null when the vehicle has no contract in force.</param>
public sealed record CoverageClaimOutcome(string CoverageItem, Money Claimed, Money Payable, string? ContractId, string? ClaimId, string? RejectionReason)
{
    public bool Accepted => RejectionReason is null;
}

/// <summary>
/// Service-contract coverage, for the workshop: the service contracts module implements it by filing claims against the
/// vehicle's contract in force (with its deductible, limits and suspension rules). Tenant-scoped.
/// </summary>
public interface IServiceCoverage
{
    /// <returns>One outcome per item, in order.</returns>
    Task<IReadOnlyList<CoverageClaimOutcome>> ClaimAsync(CoverageClaimRequest request, CancellationToken cancellationToken);
}
