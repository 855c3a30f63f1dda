using ServerlessMobility.Platform.Http;
using ServerlessMobility.ServiceContracts.Claims;
using ServerlessMobility.ServiceContracts.Renewal;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class ContractRenewalTests
{
    // Sold 2030-03-01 for 24 months: the term ends 2032-03-01, renewal opens 60 days before.
    private static readonly DateTimeOffset InWindow = ContractBuilder.SoldAt.AddMonths(24).AddDays(-10);

    [Fact]
    public void Renew_ByTheCustomerInTheWindow_NextTermPricedForTheVehicleAsItIsNow()
    {
        var renewed = ContractRenewals.Renew(ContractBuilder.Sold("DE"), 110_000, "cust-1", byCustomer: true, InWindow);

        Assert.Equal(ContractBuilder.SoldAt.AddMonths(24), renewed.StartsAt);
        Assert.Equal(ContractBuilder.SoldAt.AddMonths(48), renewed.EndsAt);

        // 500 + 20 % mileage surcharge (110,000 km), 19 % VAT.
        Assert.Equal(714m, renewed.Price.Total);
        Assert.Equal(110_000, renewed.Vehicle.OdometerKm);
        Assert.True(Assert.Single(renewed.Renewals!).ByCustomer);
    }

    [Fact]
    public void Renew_ByTheDealershipWithoutConsent_Refused()
    {
        var error = Assert.Throws<BusinessRuleException>(() => ContractRenewals.Renew(ContractBuilder.Sold("GB"), 50_000, "staff-1", byCustomer: false, InWindow));

        Assert.Equal("renewal-without-consent", error.Rule);
    }

    [Fact]
    public void Renew_ByTheDealershipWithConsent_Renewed()
    {
        var contract = ContractBuilder.Sold("GB") with { RenewalConsent = new RenewalConsent(true, ContractBuilder.SoldAt, "127.0.0.1") };

        var renewed = ContractRenewals.Renew(contract, 50_000, "staff-1", byCustomer: false, InWindow);

        Assert.False(Assert.Single(renewed.Renewals!).ByCustomer);
    }

    [Fact]
    public void Renew_ConsentWithdrawn_Refused()
    {
        var contract = ContractBuilder.Sold("GB") with { RenewalConsent = new RenewalConsent(false, ContractBuilder.SoldAt, "127.0.0.1") };

        Assert.Throws<BusinessRuleException>(() => ContractRenewals.Renew(contract, 50_000, "staff-1", byCustomer: false, InWindow));
    }

    [Fact]
    public void Renew_BeforeTheWindowOrAfterTheEnd_Refused()
    {
        var contract = ContractBuilder.Sold("DE");

        Assert.Equal("renewal-too-early", Assert.Throws<BusinessRuleException>(() => ContractRenewals.Renew(contract, 50_000, "cust-1", true, contract.EndsAt.AddDays(-61))).Rule);
        Assert.Equal("contract-expired", Assert.Throws<BusinessRuleException>(() => ContractRenewals.Renew(contract, 50_000, "cust-1", true, contract.EndsAt)).Rule);
    }

    [Fact]
    public void Renew_VehicleNoLongerEligible_RefusedWithTheReason()
    {
        var error = Assert.Throws<BusinessRuleException>(() => ContractRenewals.Renew(ContractBuilder.Sold("DE"), 150_001, "cust-1", true, InWindow));

        Assert.Equal("contract-eligibility", error.Rule);
    }

    [Fact]
    public void Claim_AfterRenewal_CountsAndLimitsStartAfresh()
    {
        var contract = ContractBuilder.Sold("DE");
        contract = contract with { Claims = [ClaimEvaluation.Evaluate(contract, "claim-1", new ClaimRequest("engine", 500m, 31_000, "Engine", null), "w", ContractBuilder.SoldAt.AddMonths(1))] };
        var renewed = ContractRenewals.Renew(contract, 60_000, "cust-1", true, InWindow);

        var claim = ClaimEvaluation.Evaluate(renewed, "claim-2", new ClaimRequest("engine", 500m, 61_000, "Engine", null), "w", renewed.StartsAt.AddDays(1));

        Assert.Equal(ClaimDecision.Accepted, claim.Decision);
    }
}

public class ContractRecordsTests
{
    [Fact]
    public void ContentHash_SameAmountsWithAnotherScale_SameHash()
    {
        // Cosmos DB stores numbers as doubles: 595.00 is read back as 595.
        var contract = ContractBuilder.Sold("DE");
        var reread = contract with { Price = contract.Price with { Total = 595m, Tax = 95m } };
        var scaled = contract with { Price = contract.Price with { Total = 595.00m, Tax = 95.0m } };

        Assert.Equal(Records.ContractRecords.ContentHash(reread), Records.ContractRecords.ContentHash(scaled));
        Assert.NotEqual(Records.ContractRecords.ContentHash(reread), Records.ContractRecords.ContentHash(contract with { Price = contract.Price with { Total = 595.01m } }));
    }
}
