namespace ServerlessMobility.Showroom.Financing;

/// <summary>How a country's law defines the annual percentage rate a credit offer must show.</summary>
public enum AprMethod
{
    /// <summary>
    /// EU Consumer Credit Directive (2008/48/EC, Annex I) and the FCA's CONC App 1.2: the effective annual rate i solving
    /// Σ payments_k / (1 + i)^(t_k) = amount of credit − fees paid at the start, with t_k in years (months / 12).
    /// </summary>
    EffectiveAnnual,

    /// <summary>
    /// US Truth in Lending (Regulation Z, Appendix J), actuarial method: the monthly rate j solving
    /// Σ payments_k / (1 + j)^k = amount financed (the credit less prepaid finance charges); the APR is 12 j.
    /// </summary>
    UsActuarial,
}

/// <param name="Jurisdiction">ISO 3166-1 alpha-2, or "US" for every ISO 3166-2 US subdivision (US-CA): Regulation Z is federal.</param>
/// <param name="Currency">The ISO 4217 currency offers in this jurisdiction are made in.</param>
/// <param name="Decimals">Decimal places of the percentage shown: the disclosure rules' precision.</param>
/// <param name="Basis">The law the rate is computed under, shown with the quote.</param>
public sealed record AprRule(string Jurisdiction, string Currency, AprMethod Method, int Decimals, string Basis);

/// <summary>The jurisdictions financing can be quoted in, as data; adding one is one entry here, reviewed against its law.</summary>
public static class AprRulebook
{
    /// <summary>ISO 3166-1 alpha-2 with an optional ISO 3166-2 subdivision, as the service-contract jurisdictions; the handler upper-cases it.</summary>
    public const string JurisdictionPattern = "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$";

    private const string Ccd = "EU Consumer Credit Directive 2008/48/EC, Annex I";

    private static readonly Dictionary<string, AprRule> Rules = new AprRule[]
    {
        new("AT", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("BE", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("DE", "EUR", AprMethod.EffectiveAnnual, 1, $"{Ccd} (§ 6 PAngV)"),
        new("ES", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("FI", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("FR", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("IE", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("IT", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("NL", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("PT", "EUR", AprMethod.EffectiveAnnual, 1, Ccd),
        new("GB", "GBP", AprMethod.EffectiveAnnual, 1, "FCA Consumer Credit sourcebook, CONC App 1.2"),

        // Kenya has no statutory APR formula for vehicle credit; lenders quote the same effective annual rate as the CCD.
        new("KE", "KES", AprMethod.EffectiveAnnual, 1, "Effective annual rate, as the EU Consumer Credit Directive"),

        // Regulation Z § 1026.22(a)(2) holds a disclosed APR accurate within 1/8 of a percentage point of the actuarial
        // rate; two decimals keep the rounding far inside that tolerance.
        new("US", "USD", AprMethod.UsActuarial, 2, "Truth in Lending Act, Regulation Z Appendix J (actuarial method)"),
    }.ToDictionary(r => r.Jurisdiction, StringComparer.Ordinal);

    // The states, DC and the territories under Regulation Z; "US-ZZ" is not a place and is refused.
    private static readonly HashSet<string> UsSubdivisions = new(StringComparer.Ordinal)
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
        "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
        "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
    };

    public static IReadOnlyCollection<string> Jurisdictions => Rules.Keys;

    /// <summary>The rule for "DE", "US" or "US-CA" (any case); null for a jurisdiction financing is not quoted in.</summary>
    public static AprRule? Find(string? jurisdiction)
    {
        if (jurisdiction is null)
        {
            return null;
        }

        var code = jurisdiction.Trim().ToUpperInvariant();
        if (code.StartsWith("US-", StringComparison.Ordinal))
        {
            return UsSubdivisions.Contains(code[3..]) ? Rules["US"] : null;
        }

        // A subdivision of a country whose law is national ("DE-BY") has the national rule.
        var country = code.Length > 2 && code[2] == '-' ? code[..2] : code;
        return Rules.GetValueOrDefault(country);
    }
}
