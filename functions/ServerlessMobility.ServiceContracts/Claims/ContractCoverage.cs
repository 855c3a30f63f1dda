using System.Globalization;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Claims;

/// <summary>
/// The shared coverage capability over service contracts: a workshop's covered work becomes claims against the vehicle's
/// contract in force, decided by the same rules as a claim filed by hand (<see cref="ClaimEvaluation"/>) and recorded in
/// the ledger. A job's item is claimed once: asking again answers the recorded decision.
/// </summary>
public sealed class ContractCoverage(ITenantRepository<ServiceContract> contracts, ContractRecords records, TimeProvider time) : IServiceCoverage
{
    /// <summary>The lifecycle workflow writes the same contract now and then (a payment, a reminder): a lost race is read again.</summary>
    private const int Attempts = 3;

    public async Task<IReadOnlyList<CoverageClaimOutcome>> ClaimAsync(CoverageClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryClaimAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ConflictException) when (attempt < Attempts)
            {
                // Read again and decide on the contract as it is now.
            }
        }
    }

    private async Task<IReadOnlyList<CoverageClaimOutcome>> TryClaimAsync(CoverageClaimRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ofVehicle = await contracts.QueryAsync(request.TenantId, "vehicle.vin", request.Vin, cancellationToken).ConfigureAwait(false);

        // A retry finds the claims it filed the first time, wherever they are; otherwise the contract in force decides.
        var claimedBefore = ofVehicle.FirstOrDefault(c => c.Claims.Any(k => string.Equals(k.WorkshopJobId, request.WorkshopJobId, StringComparison.Ordinal)));
        var contract = claimedBefore ?? ofVehicle
            .Where(c => c.Status == ContractStatus.Active && c.StartsAt <= now && !c.IsExpiredAt(now))
            .OrderByDescending(c => c.StartsAt)
            .FirstOrDefault();
        if (contract is null)
        {
            return [.. request.Items.Select(i => Rejected(i, null, null, "The vehicle has no service contract in force."))];
        }

        var stored = await contracts.GetAsync(request.TenantId, contract.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new ConflictException($"Contract '{contract.Id}' changed while the claim was prepared.");
        var current = stored.Value;
        var currency = current.Price.Currency;
        var outcomes = new List<CoverageClaimOutcome>();
        var changed = false;
        foreach (var item in request.Items)
        {
            var previous = current.Claims.FirstOrDefault(k => string.Equals(k.WorkshopJobId, request.WorkshopJobId, StringComparison.Ordinal)
                && string.Equals(k.CoverageItem, item.CoverageItem, StringComparison.Ordinal));
            if (previous is not null)
            {
                outcomes.Add(Outcome(item, current.Id, previous, currency));
                continue;
            }

            if (!string.Equals(item.Amount.Currency, currency, StringComparison.Ordinal))
            {
                // Not recorded: a claim the contract cannot even read is the workshop's mistake, not a decision on the cover.
                outcomes.Add(Rejected(item, current.Id, null, $"Contract '{current.Id}' pays in {currency}; the work was priced in {item.Amount.Currency}."));
                continue;
            }

            var description = item.Description.Length > ContractClaimsEndpoints.MaxDescriptionLength ? item.Description[..ContractClaimsEndpoints.MaxDescriptionLength] : item.Description;
            var claim = ClaimEvaluation.Evaluate(current, string.Create(CultureInfo.InvariantCulture, $"claim-{current.Claims.Count + 1}"),
                new ClaimRequest(item.CoverageItem, item.Amount.Amount, request.OdometerKm, description, request.WorkshopJobId), request.ClaimedBy, now);
            current = await records.RecordAsync(current with { Claims = [.. current.Claims, claim] },
                claim.Decision == ClaimDecision.Accepted ? "claim-accepted" : "claim-rejected", request.ClaimedBy, now, cancellationToken).ConfigureAwait(false);
            outcomes.Add(Outcome(item, current.Id, claim, currency));
            changed = true;
        }

        if (changed)
        {
            await contracts.ReplaceAsync(request.TenantId, current.Id, current, stored.ETag, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    private static CoverageClaimOutcome Outcome(CoverageItemClaim item, string contractId, ContractClaim claim, string currency) =>
        new(item.CoverageItem, item.Amount, new Money(claim.Payable, currency), contractId, claim.Id, claim.Decision == ClaimDecision.Accepted ? null : claim.RejectionReason ?? "Rejected.");

    private static CoverageClaimOutcome Rejected(CoverageItemClaim item, string? contractId, string? claimId, string reason) =>
        new(item.CoverageItem, item.Amount, new Money(0m, item.Amount.Currency), contractId, claimId, reason);
}
