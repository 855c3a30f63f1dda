using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.CarAsAService.Catalog;

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
