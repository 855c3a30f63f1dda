using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Showroom.Financing;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.Tests.Domain;

/// <summary>The hand-off's instalment against numbers worked out by hand, where the rent-to-own line fits, and what the lead records.</summary>
public class RentToOwnHandOffTests
{
    private static readonly DateTimeOffset Monday = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WeeklyInstalment_IsTheChargedAmountOverTheWeeks_RoundedUpToTheCent()
    {
        // (20,000 − 2,000) × 1.20 = 21,600; ÷ 104 = 207.6923… → 207.70; total 2,000 + 207.70 × 104 = 23,600.80.
        var terms = RentToOwnTerms.Calculate(20_000m, 2_000m, 104, 0.20m, "EUR");

        Assert.Equal(new RentToOwnTerms(18_000m, 207.70m, 23_600.80m), terms);
    }

    [Fact]
    public void WeeklyInstalment_RoundsUpWhereTheNearestCentWouldBeLess_AndLeavesAnExactDivision()
    {
        // 10,000 ÷ 27 = 370.370…: up is 370.38 where the nearest cent would be 370.37; total 370.38 × 27 = 10,000.26.
        Assert.Equal(new RentToOwnTerms(10_000m, 370.38m, 10_000.26m), RentToOwnTerms.Calculate(10_000m, 0m, 27, 0m, "EUR"));

        // 12,000 × 1.25 = 15,000 ÷ 100 = 150 exactly: nothing to round.
        Assert.Equal(new RentToOwnTerms(12_000m, 150m, 15_000m), RentToOwnTerms.Calculate(12_000m, 0m, 100, 0.25m, "EUR"));
    }

    [Fact]
    public void WeeklyInstalment_InACurrencyWithoutMinorUnits_RoundsUpToTheWholeShilling()
    {
        // (10,000,000 − 1,000,000) × 1.20 = 10,800,000; ÷ 52 = 207,692.307… → 207,693; total 1,000,000 + 207,693 × 52 = 11,800,036.
        Assert.Equal(new RentToOwnTerms(9_000_000m, 207_693m, 11_800_036m), RentToOwnTerms.Calculate(10_000_000m, 1_000_000m, 52, 0.20m, "UGX"));
    }

    [Fact]
    public void Terms_RefuseADepositOfTheWholePrice()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RentToOwnTerms.Calculate(10_000m, 10_000m, 52, 0.2m, "EUR"));
    }

    [Fact]
    public void Fit_TakesCarsUpToTheCap_InTheCurrenciesTheLineRunsIn()
    {
        var options = new RentToOwnHandOffOptions { MaxPrices = "EUR:40000,UGX:160000000" };

        RentToOwnTerms.EnsureFits(new Money(40_000m, "EUR"), 104, options);
        Assert.Equal("handoff-rent-to-own-term", Assert.Throws<BusinessRuleException>(() => RentToOwnTerms.EnsureFits(new Money(20_000m, "EUR"), 25, options)).Rule);
        Assert.Equal("handoff-rent-to-own-term", Assert.Throws<BusinessRuleException>(() => RentToOwnTerms.EnsureFits(new Money(20_000m, "EUR"), 209, options)).Rule);
        RentToOwnTerms.EnsureFits(new Money(20_000m, "EUR"), 26, options);
        RentToOwnTerms.EnsureFits(new Money(20_000m, "EUR"), 208, options);
        Assert.Equal("handoff-rent-to-own-price", Assert.Throws<BusinessRuleException>(() => RentToOwnTerms.EnsureFits(new Money(40_000.01m, "EUR"), 104, options)).Rule);
        var currency = Assert.Throws<BusinessRuleException>(() => RentToOwnTerms.EnsureFits(new Money(20_000m, "CHF"), 104, options));
        Assert.Equal("handoff-rent-to-own-currency", currency.Rule);
        Assert.Contains("EUR, UGX", currency.Message, StringComparison.Ordinal);

        // A deployment that drops a currency drops it: the caps are the whole list, not additions to the defaults.
        Assert.Equal("handoff-rent-to-own-currency", Assert.Throws<BusinessRuleException>(() =>
            RentToOwnTerms.EnsureFits(new Money(20_000m, "EUR"), 104, new RentToOwnHandOffOptions { MaxPrices = "KES:6000000" })).Rule);
    }

    [Theory]
    [InlineData("EUR:0")]
    [InlineData("EUR:1.234")]
    [InlineData("UGX:1.5")]
    [InlineData("EUR:100,EUR:200")]
    [InlineData("eur:100")]
    [InlineData("EUR=100")]
    [InlineData("")]
    public void Options_RefuseMaxPricesThatAreNotCurrencyCapPairs(string maxPrices)
    {
        Assert.False(new RentToOwnHandOffOptions { MaxPrices = maxPrices }.IsValid());
    }

    [Fact]
    public void Options_DefaultsAreValid_AndTheTermRangeIsChecked()
    {
        Assert.True(new RentToOwnHandOffOptions().IsValid());
        Assert.False(new RentToOwnHandOffOptions { MinWeeks = 60, MaxWeeks = 52 }.IsValid());
        Assert.False(new RentToOwnHandOffOptions { MaxWeeks = 521 }.IsValid());
        Assert.False(new RentToOwnHandOffOptions { FinanceChargeRate = -0.1m }.IsValid());
    }

    [Fact]
    public void HandOffId_IsStablePerDealershipLeadAndCar()
    {
        var id = LeadHandOffEndpoints.HandOffId("t1", "lead-1", "WVWZZZ1KZ6W000001");

        Assert.Equal(id, LeadHandOffEndpoints.HandOffId("t1", "lead-1", "WVWZZZ1KZ6W000001"));
        Assert.NotEqual(id, LeadHandOffEndpoints.HandOffId("t2", "lead-1", "WVWZZZ1KZ6W000001"));
        Assert.NotEqual(id, LeadHandOffEndpoints.HandOffId("t1", "lead-2", "WVWZZZ1KZ6W000001"));
        Assert.NotEqual(id, LeadHandOffEndpoints.HandOffId("t1", "lead-1", "WVWZZZ1KZ6W000002"));
        Assert.Matches("^rto-[0-9a-f]{32}$", id);
    }

    [Fact]
    public void Lead_RecordsOneHandOff_ARetryChangesNothing_AndAClosedLeadHasNone()
    {
        var lead = NewLead(LeadStage.Contacted);
        var handOff = HandOff("WVWZZZ1KZ6W000001", 207.70m);

        Assert.True(lead.RecordHandOff(handOff));
        Assert.Equal(handOff, lead.HandOff);
        Assert.Equal(handOff.Id, Assert.Single(lead.Activities).Id);
        Assert.False(lead.RecordHandOff(handOff with { At = Monday.AddMinutes(5), By = "tess" }));
        Assert.Single(lead.Activities);
        Assert.Throws<ConflictException>(() => lead.RecordHandOff(HandOff("WVWZZZ1KZ6W000001", 250m)));
        Assert.Throws<ConflictException>(() => lead.RecordHandOff(HandOff("WVWZZZ1KZ6W000002", 207.70m)));

        var lost = NewLead(LeadStage.Lost);
        Assert.Throws<ConflictException>(() => lost.RecordHandOff(handOff));
        Assert.Null(lost.HandOff);
        Assert.Throws<ConflictException>(() => NewLead(LeadStage.Won).RecordHandOff(handOff));
    }

    private static LeadHandOff HandOff(string vin, decimal weekly) =>
        new(LeadHandOffEndpoints.HandOffId("t", "lead-1", vin), HandOffProductLine.RentToOwn, vin, "handoff-x", new Money(20_000m, "EUR"), 2_000m, 104, 0.20m, weekly,
            2_000m + (weekly * 104), Monday, "sam");

    private static Lead NewLead(LeadStage stage) => new()
    {
        Id = "lead-1",
        TenantId = "t",
        Source = LeadSource.WalkIn,
        ProtectedName = "x",
        Stage = stage,
        Open = LeadStages.IsOpen(stage),
        CreatedAt = Monday,
        UpdatedAt = Monday,
    };
}
