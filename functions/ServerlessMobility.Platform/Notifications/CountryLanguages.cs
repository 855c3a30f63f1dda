namespace ServerlessMobility.Platform.Notifications;

/// <summary>The usual language of a country, for customers who never chose one.</summary>
public static class CountryLanguages
{
    public static string? For(string? country) => country?.ToUpperInvariant() switch
    {
        "DE" or "AT" or "CH" or "LI" => "de",
        "FR" or "BE" or "LU" or "MC" or "SN" or "CI" => "fr",
        "ES" or "MX" or "AR" or "CO" or "CL" or "PE" => "es",
        "KE" or "TZ" or "UG" => "sw",
        null => null,
        _ => "en",
    };
}
