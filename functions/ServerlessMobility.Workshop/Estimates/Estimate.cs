using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Workshop.Estimates;

public enum EstimateLineKind
{
    /// <summary>Work: <see cref="EstimateLine.Quantity"/> is hours, <see cref="EstimateLine.UnitPrice"/> the hourly labour rate.</summary>
    Labour,

    /// <summary>A part from stock: <see cref="EstimateLine.Sku"/> at <see cref="EstimateLine.Location"/>, a whole quantity at a unit price.</summary>
    Part,
}

/// <summary>One line the owner approves or declines on its own.</summary>
/// <param name="CoverageItem">The service contract's coverage item the work falls under ("engine", "brakes"); at invoicing the vehicle's contract in force is asked to pay for it.</param>
public sealed record EstimateLine(string Id, EstimateLineKind Kind, string Description, decimal Quantity, decimal UnitPrice, string? Sku = null, string? Location = null,
    string? CoverageItem = null)
{
    public decimal Net(string currency) => Currency.Round(Quantity * UnitPrice, currency);
}

/// <summary>
/// What the workshop proposes to do, at which price. Every revision is a new <see cref="Version"/>; <see cref="Hash"/>
/// is the SHA-256 of its canonical form, recorded with the owner's decision to prove which estimate was approved.
/// </summary>
/// <param name="ExpiredAt">When the owner's time to decide ran out (the approval workflow's expiry): the estimate can no longer be approved, only revised.</param>
public sealed record Estimate(int Version, string Currency, IReadOnlyList<EstimateLine> Lines, string Hash, DateTimeOffset PreparedAt, DateTimeOffset? ExpiredAt = null)
{
    public const int MaxLines = 50;

    public Money Net => new(Lines.Sum(l => l.Net(Currency)), Currency);

    public static Estimate Prepare(int version, string currency, IReadOnlyList<EstimateLine> lines, DateTimeOffset preparedAt)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Validate(currency, lines);
        return new Estimate(version, currency, lines, CanonicalHash(version, currency, lines), preparedAt);
    }

    /// <summary>
    /// The hash of the estimate's canonical text: version, currency and each line's fields in order, numbers in invariant
    /// culture without trailing zeros (1.50 and 1.5 are the same price), strings length-prefixed so no field can
    /// imitate a separator. The same estimate hashes the same on every machine and after every storage round trip.
    /// </summary>
    public static string CanonicalHash(int version, string currency, IReadOnlyList<EstimateLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"v{version}|{Field(currency)}");
        foreach (var line in lines)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n{Field(line.Id)}|{line.Kind}|{Field(line.Description)}|{Number(line.Quantity)}|{Number(line.UnitPrice)}|{Field(line.Sku)}|{Field(line.Location)}");

            // Appended only when present, so estimates without coverage keep the hashes they were approved under.
            if (line.CoverageItem is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"|cover:{Field(line.CoverageItem)}");
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Field(string? value) => value is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{value.Length}:{value}");

    private static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <param name="currency">null checks the lines alone (the job, and so its currency, not read yet).</param>
    public static void Validate(string? currency, IReadOnlyList<EstimateLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var errors = new Dictionary<string, string[]>();
        if (currency is not null && !Platform.Currencies.Currency.IsValidCode(currency))
        {
            errors["currency"] = ["An ISO 4217 code of three upper-case letters is required."];
        }

        if (lines.Count is 0 or > MaxLines)
        {
            errors["lines"] = [$"An estimate has 1 to {MaxLines} lines."];
        }

        if (lines.Select(l => l.Id).Distinct(StringComparer.Ordinal).Count() != lines.Count)
        {
            errors["lines"] = ["Line ids must be unique."];
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (!InputFormats.IsClientId(line.Id, 40))
            {
                errors[$"lines[{i}].id"] = ["A line id of letters, digits, '-' or '_' (at most 40) is required."];
            }

            if (!InputFormats.IsText(line.Description, 200))
            {
                errors[$"lines[{i}].description"] = ["A description of at most 200 characters is required."];
            }

            if (line.Quantity <= 0 || (line.Kind == EstimateLineKind.Part && decimal.Truncate(line.Quantity) != line.Quantity))
            {
                errors[$"lines[{i}].quantity"] = [line.Kind == EstimateLineKind.Part ? "Parts are counted in whole positive numbers." : "Hours must be positive."];
            }

            if (line.UnitPrice < 0 || (Platform.Currencies.Currency.IsValidCode(currency) && !Platform.Currencies.Currency.HasValidPrecision(line.UnitPrice, currency!)))
            {
                errors[$"lines[{i}].unitPrice"] = ["A non-negative price in the currency's minor units is required."];
            }

            if (line.Kind == EstimateLineKind.Part && (!InputFormats.IsClientId(line.Sku, 40) || !InputFormats.IsClientId(line.Location, 40)))
            {
                errors[$"lines[{i}].sku"] = ["A part line names its sku and stock location (letters, digits, '-' or '_', at most 40 each)."];
            }

            if (line.CoverageItem is not null && !InputFormats.IsClientId(line.CoverageItem, 100))
            {
                errors[$"lines[{i}].coverageItem"] = ["A service contract's coverage item code (letters, digits, '-' or '_', at most 100)."];
            }

            if (line.Kind == EstimateLineKind.Labour && (line.Sku is not null || line.Location is not null))
            {
                errors[$"lines[{i}].sku"] = ["A labour line names no part."];
            }
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
    }
}
