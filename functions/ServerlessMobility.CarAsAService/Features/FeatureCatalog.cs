using System.ComponentModel.DataAnnotations;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Features;

public enum FeatureDuration
{
    OneMonth,
    TwelveMonths,

    /// <summary>Runs until cancelled; billed monthly in arrears, prorated.</summary>
    OpenEndedMonthly,
}

/// <summary>The monthly price of a feature in one country: net, the country's VAT rate, its currency.</summary>
/// <param name="NetMonthlyPrice">Positive, in whole cents.</param>
/// <param name="VatRate">A fraction: 0 or more, below 1.</param>
public sealed record FeaturePrice(
    [property: RegularExpression(InputFormats.CountryCode)] string Country,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal NetMonthlyPrice,
    [property: Range(0, 1, MaximumIsExclusive = true)] decimal VatRate,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency);

/// <summary>
/// A feature a model's firmware already carries and the platform can switch on remotely, in one
/// dealership's catalog. <see cref="Configuration"/> is the vehicle configuration the activation sets.
/// </summary>
public sealed record FeatureDefinition
{
    public required string TenantId { get; init; }

    public required string ModelId { get; init; }

    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>Dotted numeric version ("2.4" or "2.4.1"); older firmware cannot run the feature.</summary>
    public required string MinimumFirmware { get; init; }

    public required IReadOnlyList<FeaturePrice> Prices { get; init; }

    public required IReadOnlyList<FeatureDuration> AllowedDurations { get; init; }

    /// <summary>Sold only while the vehicle's maintenance is up to date (e.g. performance modes).</summary>
    public bool RequiresMaintenanceUpToDate { get; init; }

    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    public string Id => IdFor(ModelId, Code);

    public static string IdFor(string modelId, string code) => $"{modelId}.{code}";

    /// <summary>The gross monthly price in a country; a country without a price cannot buy the feature.</summary>
    public PriceBreakdown MonthlyPrice(string country)
    {
        var price = Prices.FirstOrDefault(p => string.Equals(p.Country, country, StringComparison.OrdinalIgnoreCase))
            ?? throw new BusinessRuleException("feature-sold-in-country", $"Feature '{Code}' is not sold in '{country}'.");
        return PriceBreakdown.FromNet(Money.Of(price.NetMonthlyPrice, price.Currency), price.VatRate);
    }

    /// <summary>What one purchase of <paramref name="duration"/> costs up front (open-ended: one month, the size of the hold).</summary>
    public static Money UpfrontAmount(PriceBreakdown monthly, FeatureDuration duration)
    {
        ArgumentNullException.ThrowIfNull(monthly);
        return duration == FeatureDuration.TwelveMonths ? monthly.Gross.Multiply(12) : monthly.Gross;
    }
}

/// <summary>Compares firmware versions as dotted numbers ("2.10" is newer than "2.9").</summary>
public static class FirmwareVersion
{
    /// <summary>What a catalog entry's minimum firmware looks like: 1 to 4 dotted numbers, optionally after a v.</summary>
    public const string Pattern = "^[vV]?[0-9]{1,9}(\\.[0-9]{1,9}){0,3}$";

    public static bool TryParse(string? value, out Version version)
    {
        version = new Version(0, 0);
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim().TrimStart('v', 'V');
        if (!text.Contains('.', StringComparison.Ordinal))
        {
            text += ".0";
        }

        if (!Version.TryParse(text, out var parsed))
        {
            return false;
        }

        version = parsed;
        return true;
    }

    /// <returns>false when either version cannot be read: an unknown firmware never qualifies.</returns>
    public static bool IsAtLeast(string? actual, string minimum) =>
        TryParse(actual, out var have) && TryParse(minimum, out var need) && Normalize(have) >= Normalize(need);

    // "2.4" and "2.4.0" are the same release; Version treats the missing part as -1.
    private static Version Normalize(Version v) => new(v.Major, v.Minor, Math.Max(v.Build, 0), Math.Max(v.Revision, 0));
}

/// <summary>A catalog entry as the dealership writes it (PUT /api/models/{modelId}/features/{code}).</summary>
/// <param name="Prices">One price per country, each country once.</param>
/// <param name="Configuration">The vehicle configuration the activation sets: parameter names and values.</param>
public sealed record FeatureDefinitionRequest(
    [property: Required, StringLength(FeatureDefinitionRequest.MaxNameLength), RegularExpression(InputFormats.Text)] string? Name,
    [property: Required, RegularExpression(FirmwareVersion.Pattern)] string? MinimumFirmware,
    [property: Required, MinLength(1)] IReadOnlyList<FeaturePrice>? Prices,
    [property: Required, MinLength(1)] IReadOnlyList<FeatureDuration>? AllowedDurations,
    bool RequiresMaintenanceUpToDate = false,
    IReadOnlyDictionary<string, string>? Configuration = null)
{
    public const int MaxNameLength = 100;

    public const int MaxConfigurationEntries = 50;

    public const int MaxConfigurationNameLength = 100;

    public const int MaxConfigurationValueLength = 500;

    public FeatureDefinition ToDefinition(string tenantId, string modelId, string code)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!InputFormats.IsText(Name, MaxNameLength))
        {
            errors["name"] = [$"A name of at most {MaxNameLength} characters is required."];
        }

        if (!InputFormats.Matches(MinimumFirmware, FirmwareVersion.Pattern))
        {
            errors["minimumFirmware"] = ["A dotted numeric version such as 2.4 or 2.4.1 is required."];
        }

        if (Prices is not { Count: > 0 })
        {
            errors["prices"] = ["At least one country price is required."];
        }
        else
        {
            var priceErrors = Prices.SelectMany(PriceErrors).ToArray();
            if (Prices.Select(p => p.Country?.ToUpperInvariant()).Distinct(StringComparer.Ordinal).Count() != Prices.Count)
            {
                priceErrors = [.. priceErrors, "Each country appears once."];
            }

            if (priceErrors.Length > 0)
            {
                errors["prices"] = priceErrors;
            }
        }

        if (AllowedDurations is not { Count: > 0 } || AllowedDurations.Any(d => !Enum.IsDefined(d)))
        {
            errors["allowedDurations"] = ["At least one of OneMonth, TwelveMonths, OpenEndedMonthly is required."];
        }

        if (Configuration is { Count: > MaxConfigurationEntries }
            || (Configuration?.Any(kv => string.IsNullOrWhiteSpace(kv.Key) || kv.Key.Length > MaxConfigurationNameLength || (kv.Value?.Length ?? 0) > MaxConfigurationValueLength) ?? false))
        {
            errors["configuration"] = [$"At most {MaxConfigurationEntries} parameters, names up to {MaxConfigurationNameLength} characters, values up to {MaxConfigurationValueLength}."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        return new FeatureDefinition
        {
            TenantId = tenantId,
            ModelId = modelId,
            Code = code,
            Name = Name!.Trim(),
            MinimumFirmware = MinimumFirmware!.Trim(),
            Prices = [.. Prices!.Select(p => p with { Country = p.Country.ToUpperInvariant() })],
            AllowedDurations = [.. AllowedDurations!.Distinct()],
            RequiresMaintenanceUpToDate = RequiresMaintenanceUpToDate,
            Configuration = Configuration ?? new Dictionary<string, string>(),
        };
    }

    private static IEnumerable<string> PriceErrors(FeaturePrice price)
    {
        if (price is null)
        {
            yield return "A price entry is empty.";
            yield break;
        }

        if (!InputFormats.IsCountryCode(price.Country))
        {
            yield return $"'{price.Country}' is not an ISO 3166 two-letter country code.";
        }

        if (!InputFormats.IsCurrencyCode(price.Currency))
        {
            yield return $"'{price.Currency}' is not an ISO 4217 currency code.";
        }

        if (price.NetMonthlyPrice <= 0 || decimal.Round(price.NetMonthlyPrice, 2) != price.NetMonthlyPrice)
        {
            yield return "A monthly net price is positive, in whole cents.";
        }

        if (price.VatRate is < 0 or >= 1)
        {
            yield return "A VAT rate is a fraction between 0 and 1.";
        }
    }
}
