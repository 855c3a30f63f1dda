using ServerlessMobility.Core.Http;

namespace ServerlessMobility.Core.CarAsAService.Catalog;

/// <summary>An amount in one ISO 4217 currency; amounts of different currencies never mix silently.</summary>
public sealed record Money(decimal Amount, string Currency)
{
    public static Money Of(decimal amount, string currency)
    {
        if (!InputFormats.IsCurrencyCode(currency))
        {
            throw RequestValidationException.For("currency", "An ISO 4217 code of three upper-case letters is required.");
        }

        return new Money(amount, currency);
    }

    public Money Add(Money other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureSameCurrency(other);
        return this with { Amount = Amount + other.Amount };
    }

    public Money Subtract(Money other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureSameCurrency(other);
        return this with { Amount = Amount - other.Amount };
    }

    /// <summary>Rounded to cents away from zero, as invoices in the supported countries show them.</summary>
    public Money Multiply(decimal factor) => this with { Amount = Math.Round(Amount * factor, 2, MidpointRounding.AwayFromZero) };

    /// <summary>"1234.50 EUR": unambiguous in every language a message is written in.</summary>
    public string Display() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Amount:0.00} {Currency}");

    private void EnsureSameCurrency(Money other)
    {
        if (!string.Equals(Currency, other.Currency, StringComparison.Ordinal))
        {
            throw new BusinessRuleException("same-currency", $"Cannot combine {Currency} and {other.Currency}.");
        }
    }
}

/// <summary>Net price, VAT rate of the country and the resulting gross, all in the country's currency.</summary>
public sealed record PriceBreakdown(Money Net, decimal VatRate, Money Vat, Money Gross)
{
    public static PriceBreakdown FromNet(Money net, decimal vatRate)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (vatRate is < 0 or >= 1)
        {
            throw new BusinessRuleException("vat-rate", "A VAT rate is a fraction between 0 and 1.");
        }

        var vat = net.Multiply(vatRate);
        return new PriceBreakdown(net, vatRate, vat, net.Add(vat));
    }
}

/// <summary>An optional pack of a model (e.g. "winter", "tech") with its net price per country.</summary>
public sealed record VehiclePack(string Code, string Name, IReadOnlyDictionary<string, decimal> NetPriceByCountry);

/// <summary>The price list of a model in one country.</summary>
public sealed record CountryPrice(string Country, decimal NetPrice, decimal VatRate, string Currency);

/// <summary>A vehicle model in one dealership's catalog, with that dealership's price list per country.</summary>
public sealed record VehicleModel(string Id, string TenantId, string Name, IReadOnlyList<CountryPrice> Prices, IReadOnlyList<VehiclePack> Packs)
{
    /// <summary>Prices the model with the chosen packs in one country; an unknown pack or country breaks a rule.</summary>
    public PriceBreakdown Price(string country, IReadOnlyCollection<string> packCodes)
    {
        ArgumentNullException.ThrowIfNull(packCodes);
        var price = Prices.FirstOrDefault(p => string.Equals(p.Country, country, StringComparison.OrdinalIgnoreCase))
            ?? throw new BusinessRuleException("model-sold-in-country", $"Model '{Id}' is not sold in '{country}'.");
        var net = price.NetPrice;
        foreach (var code in packCodes.Distinct(StringComparer.Ordinal))
        {
            var pack = Packs.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.Ordinal))
                ?? throw new BusinessRuleException("pack-exists", $"Model '{Id}' has no pack '{code}'.");
            if (!pack.NetPriceByCountry.TryGetValue(price.Country, out var packNet))
            {
                throw new BusinessRuleException("pack-sold-in-country", $"Pack '{code}' is not sold in '{country}'.");
            }

            net += packNet;
        }

        return PriceBreakdown.FromNet(Money.Of(net, price.Currency), price.VatRate);
    }
}
