using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Platform.Currencies;

/// <summary>An amount in one ISO 4217 currency; amounts of different currencies never mix silently.</summary>
public sealed record Money(decimal Amount, string Currency)
{
    public static Money Of(decimal amount, string currency)
    {
        if (!InputFormats.IsCurrencyCode(currency))
        {
            throw RequestValidationException.For("currency", "An ISO 4217 code of three upper-case letters is required.");
        }

        return new Money(amount, currency);
    }

    public Money Add(Money other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureSameCurrency(other);
        return this with { Amount = Amount + other.Amount };
    }

    public Money Subtract(Money other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureSameCurrency(other);
        return this with { Amount = Amount - other.Amount };
    }

    /// <summary>Rounded to cents away from zero, as invoices in the supported countries show them.</summary>
    public Money Multiply(decimal factor) => this with { Amount = Math.Round(Amount * factor, 2, MidpointRounding.AwayFromZero) };

    /// <summary>"1234.50 EUR": unambiguous in every language a message is written in.</summary>
    public string Display() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Amount:0.00} {Currency}");

    private void EnsureSameCurrency(Money other)
    {
        if (!string.Equals(Currency, other.Currency, StringComparison.Ordinal))
        {
            throw new BusinessRuleException("same-currency", $"Cannot combine {Currency} and {other.Currency}.");
        }
    }
}
