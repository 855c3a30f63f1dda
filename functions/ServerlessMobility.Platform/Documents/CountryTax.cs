namespace ServerlessMobility.Platform.Documents;

/// <summary>
/// How a country names its sales tax on an invoice. Rates come from the product line (they depend on what is
/// sold); the label and the legal note are the country's.
/// </summary>
public static class CountryTax
{
    public static string Label(string country) => country.ToUpperInvariant() switch
    {
        "DE" or "AT" => "USt.",
        "FR" or "BE" or "LU" => "TVA",
        "ES" => "IVA",
        "IT" => "IVA",
        "CH" => "MWST",
        "KE" or "TZ" or "UG" or "GB" or "IE" => "VAT",
        _ => "VAT",
    };

    /// <summary>A line some countries require when no tax is charged (reverse charge, exemptions); null when none applies.</summary>
    public static string? ZeroRateNote(string country) => country.ToUpperInvariant() switch
    {
        "DE" => "Steuerfreie Leistung.",
        "FR" => "TVA non applicable.",
        "ES" => "Operación exenta de IVA.",
        _ => null,
    };
}
