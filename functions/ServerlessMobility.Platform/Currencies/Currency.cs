namespace ServerlessMobility.Platform.Currencies;

/// <summary>
/// ISO 4217 currency rules the plan arithmetic needs: how many minor units a currency has, so that
/// schedules are exact in the smallest coin the payment rails can move (UGX and RWF have none).
/// </summary>
public static class Currency
{
    // Currencies without minor units that rent-to-own markets use; every other code is treated as 2 decimals.
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.Ordinal)
    {
        "UGX", "RWF", "XOF", "XAF", "BIF", "GNF", "KMF", "DJF", "JPY", "KRW", "VND", "CLP", "PYG", "VUV", "XPF",
    };

    public static bool IsValidCode(string? code) => Http.InputFormats.IsCurrencyCode(code);

    public static int MinorUnits(string code) => ZeroDecimal.Contains(code) ? 0 : 2;

    /// <summary>The smallest amount that can be charged in this currency.</summary>
    public static decimal MinorUnit(string code) => MinorUnits(code) == 0 ? 1m : 0.01m;

    /// <summary>Rounds down to the currency's minor unit, so that the remainder is never invented.</summary>
    public static decimal Floor(decimal amount, string code) =>
        Math.Round(amount, MinorUnits(code), MidpointRounding.ToZero);

    /// <summary>Rounds up to the currency's minor unit: an instalment that must never collect less than is owed.</summary>
    public static decimal Ceiling(decimal amount, string code) =>
        Math.Round(amount, MinorUnits(code), MidpointRounding.ToPositiveInfinity);

    /// <summary>Banker's rounding is avoided on purpose: a customer-facing total rounds half away from zero.</summary>
    public static decimal Round(decimal amount, string code) =>
        Math.Round(amount, MinorUnits(code), MidpointRounding.AwayFromZero);

    public static bool HasValidPrecision(decimal amount, string code) => Round(amount, code) == amount;
}
