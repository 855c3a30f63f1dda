using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Pricing;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class ContractPricingTests
{
    private readonly FakeTimeProvider _time = new(ContractBuilder.SoldAt);

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private PriceExplanation Price(string jurisdiction, VehicleFacts? vehicle = null)
    {
        var product = ContractBuilder.Product(_time.GetUtcNow());
        return ContractPricing.Price(product.Name, product.Latest, CountryRulebook.Find(jurisdiction)!, vehicle ?? ContractBuilder.Vehicle(), Today);
    }

    [Theory]
    [InlineData("DE", "EUR", 500, 95, 595, 595)]
    [InlineData("ES", "EUR", 500, 105, 605, 605)]
    [InlineData("FR", "EUR", 500, 100, 600, 600)]
    [InlineData("GB", "GBP", 400, 80, 480, 480)]
    [InlineData("KE", "KES", 20000, 3200, 23200, 23200)]
    [InlineData("IN", "INR", 4999.99, 900.00, 5899.99, 5899.99)]
    [InlineData("US-CA", "USD", 600, 43.50, 643.50, 600)]
    public void Price_EachJurisdiction_TaxRoundedInItsCurrencyAndDisplayedAsItsLawSays(string jurisdiction, string currency, decimal net, decimal tax, decimal total, decimal displayed)
    {
        var price = Price(jurisdiction);

        Assert.Equal(currency, price.Currency);
        Assert.Equal(net, price.Net);
        Assert.Equal(tax, price.Tax);
        Assert.Equal(total, price.Total);
        Assert.Equal(displayed, price.DisplayedPrice);
    }

    [Fact]
    public void Price_UsCalifornia_TaxIsExcludedAndSaidToBeAddedAtPayment()
    {
        var price = Price("US-CA");

        Assert.Equal(TaxDisplay.Exclusive, price.Display);
        Assert.Contains("excludes Sales tax 7.25 %", price.DisplayNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Price_OldHighMileageRoadster_EverySurchargeIsALineWithItsReason()
    {
        var price = Price("DE", ContractBuilder.Vehicle(ageMonths: 72, odometerKm: 120_000, model: "Roadster"));

        Assert.Collection(price.Lines,
            l => Assert.Equal(500m, l.Amount),
            l => { Assert.Contains("Vehicle age 72 months (from 60)", l.Label, StringComparison.Ordinal); Assert.Equal(50m, l.Amount); },
            l => { Assert.Contains("Odometer 120000 km (from 100000 km)", l.Label, StringComparison.Ordinal); Assert.Equal(100m, l.Amount); },
            l => { Assert.Contains("Model Roadster", l.Label, StringComparison.Ordinal); Assert.Equal(25m, l.Amount); });
        Assert.Equal(675m, price.Net);
        Assert.Equal(803.25m, price.Total);
        Assert.Equal(price.Net, price.Lines.Sum(l => l.Amount));
    }

    [Fact]
    public void Price_VehicleTooOld_RejectedWithTheReason()
    {
        var error = Assert.Throws<BusinessRuleException>(() => Price("DE", ContractBuilder.Vehicle(ageMonths: 97)));

        Assert.Equal("contract-eligibility", error.Rule);
        Assert.Contains("97 months old", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Price_TooManyKilometres_RejectedWithTheReason()
    {
        var error = Assert.Throws<BusinessRuleException>(() => Price("GB", ContractBuilder.Vehicle(odometerKm: 150_001)));

        Assert.Contains("150001 km", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgeMonths_RegisteredOnThe31st_OneMonthOldOnTheLastDayOfTheNextMonth()
    {
        var vehicle = new VehicleFacts("WSMV0PENAP1000017", "Hatchback", new DateOnly(2030, 1, 31), 0);

        Assert.Equal(0, vehicle.AgeMonthsOn(new DateOnly(2030, 2, 27)));
        Assert.Equal(1, vehicle.AgeMonthsOn(new DateOnly(2030, 2, 28)));
        Assert.Equal(2, vehicle.AgeMonthsOn(new DateOnly(2030, 3, 31)));
    }

    [Fact]
    public void Publish_NewVersion_EarlierVersionKeepsItsTerms()
    {
        var product = ContractBuilder.Product(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(30));

        var published = product.Publish(ContractBuilder.Terms(termMonths: 36), _time.GetUtcNow());

        Assert.Equal(2, published.Latest.Version);
        Assert.Equal(24, published.Version(1).Terms.TermMonths);
        Assert.Equal(36, published.Version(2).Terms.TermMonths);
        Assert.Equal(_time.GetUtcNow(), published.Latest.PublishedAt);
    }

    [Fact]
    public void Publish_PriceInTheWrongCurrency_InvalidNamingTheField()
    {
        var product = ContractBuilder.Product(_time.GetUtcNow());
        var terms = ContractBuilder.Terms() with { Prices = [ContractBuilder.Price("GB", "EUR", 400m)] };

        var error = Assert.Throws<RequestValidationException>(() => product.Publish(terms, _time.GetUtcNow()));

        Assert.Contains("prices[0].currency", error.Errors.Keys);
    }
}
