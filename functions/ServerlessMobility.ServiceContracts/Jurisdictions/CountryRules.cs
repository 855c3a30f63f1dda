namespace ServerlessMobility.ServiceContracts.Jurisdictions;

/// <summary>Whether a price is shown to the customer with the tax in it (EU, GB, KE, IN) or with tax added on top (US states).</summary>
public enum TaxDisplay
{
    Inclusive,
    Exclusive,
}

/// <summary>What a customer gets back when cancelling after the cooling-off period.</summary>
public enum RefundRule
{
    /// <summary>The unused share of the term, by days.</summary>
    ProRata,

    /// <summary>The unused share of the term less the country's cancellation fee (never below zero).</summary>
    ProRataMinusFee,

    /// <summary>Nothing after the cooling-off period.</summary>
    None,
}

/// <summary>
/// The local law and tax a contract is sold under, as data: a contract keeps the rule it was sold under, so a
/// later change of law or rate does not rewrite contracts already signed.
/// </summary>
/// <param name="Jurisdiction">ISO 3166-1 alpha-2, or ISO 3166-2 where tax is set by a subdivision (US-CA).</param>
/// <param name="TaxRate">The rate on service contracts, as a fraction (0.19 is 19 %).</param>
/// <param name="CoolingOffDays">Days after the sale in which a cancellation refunds everything paid.</param>
/// <param name="CancellationFee">In <paramref name="Currency"/>; used by <see cref="RefundRule.ProRataMinusFee"/> only.</param>
/// <param name="DocumentLanguage">ISO 639-1 language the contract document must be written in.</param>
/// <param name="Disclosures">Statements the contract document must carry.</param>
public sealed record CountryRule(
    string Jurisdiction,
    string Currency,
    string TaxName,
    decimal TaxRate,
    TaxDisplay Display,
    int CoolingOffDays,
    RefundRule Refund,
    decimal CancellationFee,
    string DocumentLanguage,
    IReadOnlyList<string> Disclosures);

/// <summary>The jurisdictions contracts can be sold in. Adding one is one entry here, reviewed against its law.</summary>
public static class CountryRulebook
{
    /// <summary>ISO 3166-1 alpha-2 with an optional ISO 3166-2 subdivision; the handlers upper-case it.</summary>
    public const string JurisdictionPattern = "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$";

    private static readonly Dictionary<string, CountryRule> Rules = new CountryRule[]
    {
        // EU: 14-day withdrawal right for distance and off-premises contracts (Directive 2011/83/EU).
        new("DE", "EUR", "USt.", 0.19m, TaxDisplay.Inclusive, 14, RefundRule.ProRata, 0m, "de",
            ["Widerrufsrecht: 14 Tage ab Vertragsschluss.", "Erstattung bei Kündigung anteilig nach nicht genutzter Laufzeit."]),
        new("ES", "EUR", "IVA", 0.21m, TaxDisplay.Inclusive, 14, RefundRule.ProRata, 0m, "es",
            ["Derecho de desistimiento: 14 días naturales.", "Reembolso proporcional al periodo no utilizado."]),
        new("FR", "EUR", "TVA", 0.20m, TaxDisplay.Inclusive, 14, RefundRule.ProRataMinusFee, 30m, "fr",
            ["Droit de rétractation : 14 jours.", "Remboursement au prorata, moins des frais de résiliation de 30 EUR."]),
        new("GB", "GBP", "VAT", 0.20m, TaxDisplay.Inclusive, 14, RefundRule.ProRataMinusFee, 25m, "en",
            ["You may cancel within 14 days for a full refund.", "After 14 days a pro-rata refund less a 25 GBP administration fee applies."]),
        new("KE", "KES", "VAT", 0.16m, TaxDisplay.Inclusive, 7, RefundRule.None, 0m, "en",
            ["You may cancel within 7 days for a full refund.", "No refund is due after the cooling-off period."]),
        new("IN", "INR", "GST", 0.18m, TaxDisplay.Inclusive, 15, RefundRule.ProRataMinusFee, 500m, "en",
            ["Free-look period: 15 days with a full refund.", "After 15 days a pro-rata refund less a 500 INR fee applies."]),
        new("US-CA", "USD", "Sales tax", 0.0725m, TaxDisplay.Exclusive, 30, RefundRule.ProRataMinusFee, 50m, "en",
            ["You may cancel within 30 days for a full refund.", "After 30 days a pro-rata refund less a cancellation fee of up to 50 USD applies."]),
    }.ToDictionary(r => r.Jurisdiction, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Jurisdictions => Rules.Keys;

    public static CountryRule? Find(string? jurisdiction) =>
        jurisdiction is not null && Rules.TryGetValue(jurisdiction.Trim().ToUpperInvariant(), out var rule) ? rule : null;
}
