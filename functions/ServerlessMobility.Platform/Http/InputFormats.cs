using System.Text.RegularExpressions;

namespace ServerlessMobility.Platform.Http;

/// <summary>
/// The formats of values that many requests share, each defined once: the validators match these patterns and the
/// request records declare the same constants (DataAnnotations), so the OpenAPI document states exactly the rule
/// the handlers apply (issue 16 item 14). Patterns are written in the subset that .NET and ECMA-262 (JSON Schema)
/// read alike.
/// </summary>
public static partial class InputFormats
{
    /// <summary>ISO 3166-1 alpha-2; the handlers upper-case it.</summary>
    public const string CountryCode = "^[A-Za-z]{2}$";

    /// <summary>ISO 4217: three upper-case letters.</summary>
    public const string CurrencyCode = "^[A-Z]{3}$";

    /// <summary>E.164: a plus and 8 to 15 digits (the handlers also drop spaces, dashes and parentheses).</summary>
    public const string Phone = "^\\+[0-9]{8,15}$";

    /// <summary>An address with one @, no spaces; delivery proves the rest.</summary>
    public const string Email = "^[^@\\s]+@[^@\\s]+$";

    /// <summary>RFC 5321 caps a forward path at 256 octets including the angle brackets.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Text a person types: at least one visible character and no control characters (no line breaks either).</summary>
    public const string Text = "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$";

    /// <summary>An id a client chooses (an order id, a geofence id): letters, digits, '-' and '_'.</summary>
    public const string ClientId = "^[A-Za-z0-9_-]+$";

    public static bool IsCountryCode(string? value) => value is not null && Whole(CountryCodeRegex(), value);

    public static bool IsCurrencyCode(string? value) => value is not null && Whole(CurrencyCodeRegex(), value);

    public static bool IsPhone(string? value) => value is not null && Whole(PhoneRegex(), value);

    public static bool IsEmail(string? value) => value is { Length: <= MaxEmailLength } && Whole(EmailRegex(), value);

    /// <summary>Visible text of at most <paramref name="maxLength"/> characters.</summary>
    public static bool IsText(string? value, int maxLength) => value is not null && value.Length <= maxLength && Whole(TextRegex(), value);

    /// <summary>A client-chosen id of at most <paramref name="maxLength"/> characters.</summary>
    public static bool IsClientId(string? value, int maxLength) => value is not null && value.Length <= maxLength && Whole(ClientIdRegex(), value);

    /// <summary>
    /// Whether <paramref name="value"/> matches one of the rules' pattern constants (compiled once per pattern) within
    /// <paramref name="minLength"/> to <paramref name="maxLength"/> characters.
    /// </summary>
    public static bool Matches(string? value, string pattern, int minLength = 0, int maxLength = int.MaxValue) =>
        value is not null && value.Length >= minLength && value.Length <= maxLength
        && Whole(Compiled.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))), value);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    // .NET's $ also matches before a final line feed, ECMA-262's (the document's) does not: the match must be all of it.
    private static bool Whole(Regex regex, string value) => regex.Match(value) is { Success: true } match && match.Length == value.Length;

    [GeneratedRegex(CountryCode, RegexOptions.CultureInvariant)]
    private static partial Regex CountryCodeRegex();

    [GeneratedRegex(CurrencyCode, RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCodeRegex();

    [GeneratedRegex(Phone, RegexOptions.CultureInvariant)]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(Email, RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(Text, RegexOptions.CultureInvariant)]
    private static partial Regex TextRegex();

    [GeneratedRegex(ClientId, RegexOptions.CultureInvariant)]
    private static partial Regex ClientIdRegex();
}
