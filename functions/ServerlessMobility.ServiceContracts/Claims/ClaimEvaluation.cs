using System.Globalization;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Claims;

public enum ClaimDecision
{
    Accepted,
    Rejected,
}

/// <summary>What a workshop (or a member of staff, for a manual claim) asks the contract to pay.</summary>
/// <param name="WorkshopJobId">The workshop job the work was done in; null for a manual claim.</param>
public sealed record ClaimRequest(string CoverageItem, decimal Amount, int OdometerKm, string Description, string? WorkshopJobId);

/// <summary>A claim as decided: accepted with what the contract pays, or rejected with the reason. Both are kept: a rejection is part of the record.</summary>
/// <param name="Payable">What the contract pays (the amount less the deductible, within the limits); 0 when rejected.</param>
public sealed record ContractClaim(
    string Id,
    string CoverageItem,
    decimal Amount,
    int OdometerKm,
    string Description,
    string? WorkshopJobId,
    DateTimeOffset ClaimedAt,
    string ClaimedBy,
    ClaimDecision Decision,
    decimal Payable,
    string? RejectionReason);

/// <summary>Decides a claim against the coverage, term, deductible and limits the contract was sold with; pure.</summary>
public static class ClaimEvaluation
{
    public static ContractClaim Evaluate(ServiceContract contract, string claimId, ClaimRequest request, string claimedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(request);
        var decided = Decide(contract, request, now);
        return new ContractClaim(claimId, request.CoverageItem, request.Amount, request.OdometerKm, request.Description, request.WorkshopJobId, now, claimedBy,
            decided.Reason is null ? ClaimDecision.Accepted : ClaimDecision.Rejected, decided.Payable, decided.Reason);
    }

    private static (decimal Payable, string? Reason) Decide(ServiceContract contract, ClaimRequest request, DateTimeOffset now)
    {
        var terms = contract.ProductVersion.Terms;
        var price = terms.PriceIn(contract.Country.Jurisdiction)!;
        var currency = contract.Price.Currency;
        // Counts and limits are per term: a renewal starts them afresh.
        var accepted = contract.Claims.Where(c => c.Decision == ClaimDecision.Accepted && c.ClaimedAt >= contract.StartsAt).ToList();
        if (contract.Status == ContractStatus.Cancelled)
        {
            return (0, "The contract is cancelled.");
        }

        if (contract.Suspension is { } suspension)
        {
            return (0, Invariant($"The coverage is suspended since {suspension.Since:yyyy-MM-dd}: instalment {suspension.InstalmentNumber} is unpaid."));
        }

        if (now < contract.StartsAt || contract.IsExpiredAt(now))
        {
            return (0, Invariant($"The contract covers {contract.StartsAt:yyyy-MM-dd} to {contract.EndsAt:yyyy-MM-dd}; the claim is dated {now:yyyy-MM-dd}."));
        }

        if (request.OdometerKm < contract.Vehicle.OdometerKm)
        {
            return (0, Invariant($"The odometer reads {request.OdometerKm} km, less than the {contract.Vehicle.OdometerKm} km recorded at the sale."));
        }

        if (contract.EndsAtOdometerKm is { } lastKm && request.OdometerKm > lastKm)
        {
            return (0, Invariant($"The coverage ended at {lastKm} km; the vehicle has {request.OdometerKm} km."));
        }

        if (terms.Item(request.CoverageItem) is not { } item)
        {
            return (0, $"'{request.CoverageItem}' is not covered; the contract covers {string.Join(", ", terms.Coverage.Select(c => c.Code))}.");
        }

        if (item.MaxClaims is { } maxClaims && accepted.Count(c => string.Equals(c.CoverageItem, item.Code, StringComparison.Ordinal)) >= maxClaims)
        {
            return (0, Invariant($"'{item.Name}' pays at most {maxClaims} claim(s) over the term, and they were used."));
        }

        if (request.Amount <= price.Deductible)
        {
            return (0, Invariant($"The amount {request.Amount} {currency} does not exceed the deductible of {price.Deductible} {currency}."));
        }

        var remaining = price.TotalLimit - accepted.Sum(c => c.Payable);
        if (remaining <= 0)
        {
            return (0, Invariant($"The total limit of {price.TotalLimit} {currency} is used up."));
        }

        return (Math.Min(Math.Min(request.Amount - price.Deductible, price.LimitPerClaim), remaining), null);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
