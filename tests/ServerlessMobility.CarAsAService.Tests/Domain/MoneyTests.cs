using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Tests.Domain;

public sealed class MoneyTests
{
    [Fact]
    public void Price_WithPackInSpain_AddsPackAndSpanishVat()
    {
        var price = TestData.Model().Price("es", ["winter"]);

        Assert.Equal(Money.Of(31000m, "EUR"), price.Net);
        Assert.Equal(0.21m, price.VatRate);
        Assert.Equal(Money.Of(6510m, "EUR"), price.Vat);
        Assert.Equal(Money.Of(37510m, "EUR"), price.Gross);
    }

    [Fact]
    public void Price_CountryNotSold_BreaksRule()
    {
        var ex = Assert.Throws<BusinessRuleException>(() => TestData.Model().Price("FR", []));
        Assert.Equal("model-sold-in-country", ex.Rule);
    }

    [Fact]
    public void Price_PackNotSoldInCountry_BreaksRule()
    {
        var ex = Assert.Throws<BusinessRuleException>(() => TestData.Model().Price("GB", ["tech"]));
        Assert.Equal("pack-sold-in-country", ex.Rule);
    }

    [Fact]
    public void Add_DifferentCurrencies_BreaksRule()
    {
        Assert.Throws<BusinessRuleException>(() => Money.Of(1m, "EUR").Add(Money.Of(1m, "GBP")));
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("")]
    public void Of_NotIso4217_IsInvalid(string currency)
    {
        Assert.Throws<RequestValidationException>(() => Money.Of(1m, currency));
    }

    [Fact]
    public void Multiply_HalfCent_RoundsAwayFromZero()
    {
        Assert.Equal(0.13m, Money.Of(0.25m, "EUR").Multiply(0.5m).Amount);
    }
}
