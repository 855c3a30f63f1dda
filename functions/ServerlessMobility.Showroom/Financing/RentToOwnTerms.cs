using System.Globalization;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Showroom.Financing;

/// <summary>
/// Where the rent-to-own line fits a showroom car (section <c>Showroom:HandOff:RentToOwn</c>; the settings table in
/// docs/flows/showroom.md): its flat finance charge, the terms it offers and the prices it takes per currency it runs in.
/// </summary>
public sealed class RentToOwnHandOffOptions
{
    public const string SectionName = "Showroom:HandOff:RentToOwn";

    public const string DefaultMaxPrices = "EUR:40000,GBP:35000,USD:45000,KES:6000000,UGX:160000000,TZS:110000000,RWF:55000000,NGN:70000000,GHS:550000,ZAR:800000";

    /// <summary>The flat charge on the amount financed over the whole term (0.20: the buyer pays back 120 % of it).</summary>
    public decimal FinanceChargeRate { get; set; } = 0.20m;

    public int MinWeeks { get; set; } = 26;

    public int MaxWeeks { get; set; } = 208;

    /// <summary>
    /// "CUR:amount" pairs, comma-separated: the currencies the rent-to-own line runs in, each with the highest car price it takes.
    /// One string rather than a section so a deployment can drop a currency (a bound dictionary only adds to the defaults).
    /// </summary>
    public string MaxPrices { get; set; } = DefaultMaxPrices;

    /// <summary>The price cap in <paramref name="currency"/>; false when the line does not run in it.</summary>
    public bool TryGetMaxPrice(string currency, out decimal maxPrice)
    {
        maxPrice = 0;
        return ParseMaxPrices(MaxPrices) is { } caps && caps.TryGetValue(currency, out maxPrice);
    }

    public bool IsValid() =>
        FinanceChargeRate is >= 0 and <= 2 && MinWeeks is >= 1 and <= 520 && MaxWeeks >= MinWeeks && MaxWeeks <= 520 && ParseMaxPrices(MaxPrices) is { Count: > 0 };

    /// <returns>Null when the text is not a list of distinct "CUR:positive amount in its minor units" pairs.</returns>
    public static Dictionary<string, decimal>? ParseMaxPrices(string? text)
    {
        var caps = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var pair in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !Currency.IsValidCode(parts[0])
                || !decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cap)
                || cap <= 0 || !Currency.HasValidPrecision(cap, parts[0]) || !caps.TryAdd(parts[0], cap))
            {
                return null;
            }
        }

        return caps;
    }
}

/// <summary>What a rent-to-own buyer pays for a car: a flat charge on the amount financed, spread over whole weeks.</summary>
/// <param name="Financed">Price less deposit.</param>
/// <param name="WeeklyInstalment">Rounded up to the currency's minor unit, so the weeks never collect less than the price and the charge.</param>
/// <param name="TotalPayable">The deposit and every instalment.</param>
public sealed record RentToOwnTerms(decimal Financed, decimal WeeklyInstalment, decimal TotalPayable)
{
    /// <summary>
    /// <c>weekly = ⌈(price − deposit) × (1 + rate) ÷ weeks⌉</c> to the minor unit of <paramref name="currency"/>;
    /// <c>total = deposit + weekly × weeks</c>.
    /// </summary>
    public static RentToOwnTerms Calculate(decimal price, decimal deposit, int weeks, decimal financeChargeRate, string currency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deposit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(deposit, price);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weeks);
        ArgumentOutOfRangeException.ThrowIfNegative(financeChargeRate);
        var financed = price - deposit;
        // Up, never to the nearest: a rounded-down instalment would leave the last weeks short of what is owed.
        var weekly = Currency.Ceiling(financed * (1 + financeChargeRate) / weeks, currency);
        return new RentToOwnTerms(financed, weekly, deposit + (weekly * weeks));
    }

    /// <summary>
    /// Whether the rent-to-own line takes a car at <paramref name="price"/> over <paramref name="weeks"/>: it offers terms of
    /// MinWeeks to MaxWeeks, runs in a currency of <see cref="RentToOwnHandOffOptions.MaxPrices"/> and takes cars up to that currency's cap.
    /// </summary>
    /// <exception cref="BusinessRuleException">Rule <c>handoff-rent-to-own-term</c>, <c>handoff-rent-to-own-currency</c> or <c>handoff-rent-to-own-price</c>, saying why.</exception>
    public static void EnsureFits(Money price, int weeks, RentToOwnHandOffOptions options)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(options);
        if (weeks < options.MinWeeks || weeks > options.MaxWeeks)
        {
            throw new BusinessRuleException("handoff-rent-to-own-term",
                string.Create(CultureInfo.InvariantCulture, $"The rent-to-own line offers terms of {options.MinWeeks} to {options.MaxWeeks} weeks, not {weeks}."));
        }

        if (!options.TryGetMaxPrice(price.Currency, out var cap))
        {
            throw new BusinessRuleException("handoff-rent-to-own-currency",
                $"The rent-to-own line does not run in {price.Currency}; it takes cars priced in {string.Join(", ", (IEnumerable<string>?)RentToOwnHandOffOptions.ParseMaxPrices(options.MaxPrices)?.Keys ?? [])}.");
        }

        if (price.Amount > cap)
        {
            throw new BusinessRuleException("handoff-rent-to-own-price",
                string.Create(CultureInfo.InvariantCulture, $"The rent-to-own line takes cars up to {cap} {price.Currency}; this one is {price.Amount} {price.Currency}."));
        }
    }
}
