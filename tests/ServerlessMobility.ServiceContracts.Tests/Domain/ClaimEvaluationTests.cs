using ServerlessMobility.ServiceContracts.Claims;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class ClaimEvaluationTests
{
    private static readonly DateTimeOffset OneMonthIn = ContractBuilder.SoldAt.AddMonths(1);

    private static ContractClaim Claim(ServiceContract contract, string item, decimal amount, int odometerKm = 31_000, DateTimeOffset? at = null) =>
        ClaimEvaluation.Evaluate(contract, $"claim-{contract.Claims.Count + 1}", new ClaimRequest(item, amount, odometerKm, "Repair", "job-1"), "workshop-1", at ?? OneMonthIn);

    private static ServiceContract With(ServiceContract contract, ContractClaim claim) => contract with { Claims = [.. contract.Claims, claim] };

    [Fact]
    public void Evaluate_CoveredItem_PaysTheAmountLessTheDeductible()
    {
        var claim = Claim(ContractBuilder.Sold("DE"), "gearbox", 800m);

        Assert.Equal(ClaimDecision.Accepted, claim.Decision);
        Assert.Equal(750m, claim.Payable);
        Assert.Null(claim.RejectionReason);
    }

    [Fact]
    public void Evaluate_ItemNotCovered_RejectedNamingWhatIsCovered()
    {
        var claim = Claim(ContractBuilder.Sold("DE"), "tyres", 300m);

        Assert.Equal(ClaimDecision.Rejected, claim.Decision);
        Assert.Equal(0m, claim.Payable);
        Assert.Equal("'tyres' is not covered; the contract covers engine, gearbox.", claim.RejectionReason);
    }

    [Fact]
    public void Evaluate_AboveTheLimitPerClaim_PaysTheLimit()
    {
        Assert.Equal(1_000m, Claim(ContractBuilder.Sold("GB"), "gearbox", 5_000m).Payable);
    }

    [Fact]
    public void Evaluate_TotalLimitReached_PaysWhatRemainsThenRejects()
    {
        var contract = ContractBuilder.Sold("GB");
        var first = Claim(contract, "gearbox", 5_000m);
        contract = With(contract, first);
        var second = Claim(contract, "gearbox", 5_000m);
        contract = With(contract, second);
        var third = Claim(contract, "gearbox", 5_000m);

        Assert.Equal(500m, second.Payable);
        Assert.Equal(ClaimDecision.Rejected, third.Decision);
        Assert.Contains("total limit of 1500 GBP is used up", third.RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ItemClaimCountUsed_Rejected()
    {
        var contract = ContractBuilder.Sold("DE");
        contract = With(contract, Claim(contract, "engine", 200m));

        var second = Claim(contract, "engine", 200m);

        Assert.Equal(ClaimDecision.Rejected, second.Decision);
        Assert.Contains("at most 1 claim(s)", second.RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AtOrBelowTheDeductible_Rejected()
    {
        Assert.Contains("does not exceed the deductible of 50 EUR", Claim(ContractBuilder.Sold("DE"), "gearbox", 50m).RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BeyondTheTermsDistance_Rejected()
    {
        // Sold at 30,000 km with a 40,000 km term: coverage ends at 70,000 km.
        Assert.Equal(ClaimDecision.Accepted, Claim(ContractBuilder.Sold("DE"), "gearbox", 100m, odometerKm: 70_000).Decision);
        Assert.Contains("ended at 70000 km", Claim(ContractBuilder.Sold("DE"), "gearbox", 100m, odometerKm: 70_001).RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AfterTheTerm_Rejected()
    {
        var claim = Claim(ContractBuilder.Sold("DE"), "gearbox", 100m, at: ContractBuilder.SoldAt.AddMonths(24));

        Assert.Equal("The contract covers 2030-03-01 to 2032-03-01; the claim is dated 2032-03-01.", claim.RejectionReason);
    }

    [Fact]
    public void Evaluate_CancelledContract_Rejected()
    {
        var contract = ContractBuilder.Sold("DE") with { Status = ContractStatus.Cancelled };

        Assert.Equal("The contract is cancelled.", Claim(contract, "gearbox", 100m).RejectionReason);
    }
}
