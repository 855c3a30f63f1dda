using System.Globalization;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Products;
using CurrencyRules = ServerlessMobility.Platform.Currencies.Currency;

namespace ServerlessMobility.ServiceContracts.Pricing;

/// <summary>The vehicle a contract is priced for, as the dealership states it at the quote.</summary>
public sealed record VehicleFacts(string Vin, string Model, DateOnly FirstRegistered, int OdometerKm)
{
    /// <summary>Whole months since first registration: a vehicle registered on the 31st turns one month old on the last day of the next month.</summary>
    public int AgeMonthsOn(DateOnly day)
    {
        var months = ((day.Year - FirstRegistered.Year) * 12) + day.Month - FirstRegistered.Month;
        if (day.Day < FirstRegistered.Day && day.Day != DateTime.DaysInMonth(day.Year, day.Month))
        {
            months--;
        }

        return Math.Max(0, months);
    }
}

/// <summary>One line of a price explanation, before tax, in the quote's currency.</summary>
public sealed record PriceLine(string Label, decimal Amount);

/// <summary>
/// A price explained line by line: what it starts from, each surcharge and why, the net, the tax and the total.
/// <see cref="DisplayedPrice"/> is what the customer is shown as "the price": the total where prices include tax,
/// the net (with the tax added at payment) where they do not.
/// </summary>
public sealed record PriceExplanation(
    string Jurisdiction,
    string Currency,
    IReadOnlyList<PriceLine> Lines,
    decimal Net,
    string TaxName,
    decimal TaxRate,
    decimal Tax,
    decimal Total,
    TaxDisplay Display,
    decimal DisplayedPrice,
    string DisplayNote);

/// <summary>Prices a product version for a vehicle in a jurisdiction; pure, so every quote can be recomputed and explained.</summary>
public static class ContractPricing
{
    public static PriceExplanation Price(string productName, ContractProductVersion version, CountryRule country, VehicleFacts vehicle, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(vehicle);
        var terms = version.Terms;
        var rule = terms.PriceIn(country.Jurisdiction)
            ?? throw new BusinessRuleException("contract-not-sold-here", $"'{productName}' has no price in {country.Jurisdiction}.");
        var ageMonths = vehicle.AgeMonthsOn(today);
        EnsureEligible(terms.Eligibility, vehicle, ageMonths);

        var currency = rule.Currency;
        var lines = new List<PriceLine>
        {
            new(Invariant($"{productName} (version {version.Version}), {terms.TermMonths} months{(terms.TermKilometres is { } km ? $" or {km} km" : string.Empty)}"), rule.NetPrice),
        };

        // Surcharges are each a share of the base price, not compounded, so each line reads on its own.
        if (rule.AgeBands.Where(b => ageMonths >= b.FromMonths).MaxBy(b => b.FromMonths) is { SurchargeRate: not 0 } age)
        {
            lines.Add(new PriceLine(Invariant($"Vehicle age {ageMonths} months (from {age.FromMonths}): {Percent(age.SurchargeRate)}"), CurrencyRules.Round(rule.NetPrice * age.SurchargeRate, currency)));
        }

        if (rule.MileageBands.Where(b => vehicle.OdometerKm >= b.FromKm).MaxBy(b => b.FromKm) is { SurchargeRate: not 0 } mileage)
        {
            lines.Add(new PriceLine(Invariant($"Odometer {vehicle.OdometerKm} km (from {mileage.FromKm} km): {Percent(mileage.SurchargeRate)}"), CurrencyRules.Round(rule.NetPrice * mileage.SurchargeRate, currency)));
        }

        if (rule.ModelSurcharges.FirstOrDefault(m => string.Equals(m.Model, vehicle.Model, StringComparison.OrdinalIgnoreCase)) is { SurchargeRate: not 0 } model)
        {
            lines.Add(new PriceLine(Invariant($"Model {model.Model}: {Percent(model.SurchargeRate)}"), CurrencyRules.Round(rule.NetPrice * model.SurchargeRate, currency)));
        }

        var net = lines.Sum(l => l.Amount);

        // The total is rounded once, from the net, as an invoice shows it; the tax is what makes up the difference.
        var total = CurrencyRules.Round(net * (1 + country.TaxRate), currency);
        var tax = total - net;
        var rate = Percent(country.TaxRate).TrimStart('+');
        var note = country.Display == TaxDisplay.Inclusive
            ? Invariant($"Price includes {country.TaxName} {rate} ({tax} {currency}).")
            : Invariant($"Price excludes {country.TaxName} {rate}; {tax} {currency} is added at payment.");
        return new PriceExplanation(country.Jurisdiction, currency, lines, net, country.TaxName, country.TaxRate, tax, total, country.Display,
            country.Display == TaxDisplay.Inclusive ? total : net, note);
    }

    /// <summary>The first eligibility rule the vehicle breaks, as a 422 that says which and why.</summary>
    public static void EnsureEligible(Eligibility eligibility, VehicleFacts vehicle, int ageMonths)
    {
        ArgumentNullException.ThrowIfNull(eligibility);
        ArgumentNullException.ThrowIfNull(vehicle);
        if (eligibility.MaxVehicleAgeMonths is { } maxAge && ageMonths > maxAge)
        {
            throw new BusinessRuleException("contract-eligibility", Invariant($"The vehicle is {ageMonths} months old; this product is for vehicles up to {maxAge} months."));
        }

        if (eligibility.MaxOdometerKm is { } maxKm && vehicle.OdometerKm > maxKm)
        {
            throw new BusinessRuleException("contract-eligibility", Invariant($"The vehicle has {vehicle.OdometerKm} km; this product is for vehicles up to {maxKm} km."));
        }

        if (eligibility.Models.Count > 0 && !eligibility.Models.Contains(vehicle.Model, StringComparer.OrdinalIgnoreCase))
        {
            throw new BusinessRuleException("contract-eligibility", $"This product is for {string.Join(", ", eligibility.Models)}, not {vehicle.Model}.");
        }
    }

    private static string Percent(decimal rate) => string.Create(CultureInfo.InvariantCulture, $"{(rate >= 0 ? "+" : string.Empty)}{rate * 100:0.##} %");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
