using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Showroom.Financing;

/// <param name="Deposit">Paid at the start, at least 0 and below the price.</param>
/// <param name="Balloon">The final payment (0 for none), below the financed amount.</param>
/// <param name="TermMonths">Monthly payments, 6 to 96.</param>
/// <param name="AnnualRate">The nominal annual rate as a fraction, 0 to 1 (0.059 is 5.9 %).</param>
/// <param name="Fees">Arrangement fees paid up front (optional), below the financed amount.</param>
public sealed record FinancingOfferRequest(
    [property: Range(0, double.MaxValue)] decimal Deposit,
    [property: Range(0, double.MaxValue)] decimal Balloon,
    [property: Range(FinancingQuotesEndpoints.MinTermMonths, FinancingQuotesEndpoints.MaxTermMonths)] int TermMonths,
    [property: Range(0, 1)] decimal AnnualRate,
    [property: Range(0, double.MaxValue)] decimal? Fees = null);

/// <param name="Country">ISO 3166-1 alpha-2, or ISO 3166-2 for a US state ("US-CA"); the APR follows its law.</param>
/// <param name="Offers">1 to 5 offers, answered side by side in the same order.</param>
public sealed record FinancingQuoteRequest(
    [property: Range(0, FinancingQuotesEndpoints.MaxVehiclePrice, MinimumIsExclusive = true)] decimal VehiclePrice,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency,
    [property: RegularExpression(AprRulebook.JurisdictionPattern)] string Country,
    [property: MinLength(1), MaxLength(FinancingQuotesEndpoints.MaxOffers)] IReadOnlyList<FinancingOfferRequest> Offers);

/// <summary>One offer as asked for and as priced.</summary>
public sealed record FinancingOfferQuote(
    decimal Deposit,
    decimal Balloon,
    int TermMonths,
    decimal AnnualRate,
    decimal Fees,
    decimal FinancedAmount,
    decimal MonthlyPayment,
    decimal LastMonthlyPayment,
    decimal TotalInterest,
    decimal TotalCostOfCredit,
    decimal TotalPayable,
    decimal Apr,
    string AprText,
    IReadOnlyList<ScheduleLine> Schedule);

/// <param name="AprBasis">The law the APRs are computed under.</param>
public sealed record FinancingQuoteResponse(decimal VehiclePrice, string Currency, string Country, string AprBasis, IReadOnlyList<FinancingOfferQuote> Offers);

/// <summary>
/// Financing offers for one vehicle, side by side. Nothing is stored: the same request always gets the same answer,
/// so a retry is safe without an idempotency key.
/// </summary>
public static class FinancingQuotesEndpoints
{
    public const int MinTermMonths = 6;
    public const int MaxTermMonths = 96;
    public const int MaxOffers = 5;

    /// <summary>Far above any vehicle in the currencies quoted (KES, JPY included), and low enough that no total can overflow a decimal.</summary>
    public const double MaxVehiclePrice = 1_000_000_000;

    public static Ok<FinancingQuoteResponse> Quote(FinancingQuoteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var country = request.Country?.Trim().ToUpperInvariant();
        Validate(request, country);

        // A well-formed code for a place the rulebook has no law for: the request is fine, the business cannot quote there.
        var rule = AprRulebook.Find(country)
            ?? throw new BusinessRuleException("financing-country", $"Financing cannot be quoted in '{country}': its APR rules are not in the rulebook.");
        if (!string.Equals(rule.Currency, request.Currency, StringComparison.Ordinal))
        {
            throw new BusinessRuleException("financing-currency", $"Financing in {country} is quoted in {rule.Currency}, not {request.Currency}.");
        }

        var offers = request.Offers.Select(o =>
        {
            var terms = new FinanceTerms(request.VehiclePrice, request.Currency, o.Deposit, o.Balloon, o.TermMonths, o.AnnualRate, o.Fees ?? 0m);
            var quote = FinanceCalculator.Quote(terms, rule);
            return new FinancingOfferQuote(o.Deposit, o.Balloon, o.TermMonths, o.AnnualRate, terms.Fees, quote.FinancedAmount, quote.MonthlyPayment,
                quote.LastMonthlyPayment, quote.TotalInterest, quote.TotalCostOfCredit, quote.TotalPayable, quote.Apr, quote.AprText, quote.Schedule);
        }).ToList();
        return TypedResults.Ok(new FinancingQuoteResponse(request.VehiclePrice, request.Currency, country!, rule.Basis, offers));
    }

    private static void Validate(FinancingQuoteRequest request, string? country)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var currencyValid = Platform.Currencies.Currency.IsValidCode(request.Currency);
        if (!currencyValid)
        {
            errors["currency"] = ["An ISO 4217 code of three upper-case letters is required."];
        }

        if (!InputFormats.Matches(country, AprRulebook.JurisdictionPattern))
        {
            errors["country"] = ["An ISO 3166-1 alpha-2 code, or ISO 3166-2 for a US state (US-CA), is required."];
        }

        if (request.VehiclePrice is <= 0 or > (decimal)MaxVehiclePrice || (currencyValid && !Platform.Currencies.Currency.HasValidPrecision(request.VehiclePrice, request.Currency)))
        {
            errors["vehiclePrice"] = ["The price must be above zero, at most 1,000,000,000 and in the currency's minor units."];
        }

        if (request.Offers is not { Count: >= 1 and <= MaxOffers })
        {
            errors["offers"] = [$"1 to {MaxOffers} offers are required."];
        }
        else
        {
            for (var i = 0; i < request.Offers.Count; i++)
            {
                ValidateOffer(request, request.Offers[i], $"offers[{i}]", currencyValid && !errors.ContainsKey("vehiclePrice"), errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
    }

    private static void ValidateOffer(FinancingQuoteRequest request, FinancingOfferRequest? offer, string path, bool priceKnown, Dictionary<string, string[]> errors)
    {
        if (offer is null)
        {
            errors[path] = ["An offer is required."];
            return;
        }

        bool Amount(decimal value) => value >= 0 && (!priceKnown || Platform.Currencies.Currency.HasValidPrecision(value, request.Currency));
        if (!Amount(offer.Deposit) || (priceKnown && offer.Deposit >= request.VehiclePrice))
        {
            errors[$"{path}.deposit"] = ["The deposit must be at least zero, below the vehicle price and in the currency's minor units."];
            return;
        }

        var financed = request.VehiclePrice - offer.Deposit;
        if (!Amount(offer.Balloon) || (priceKnown && offer.Balloon >= financed))
        {
            errors[$"{path}.balloon"] = ["The balloon must be at least zero, below the financed amount (price less deposit) and in the currency's minor units."];
        }

        if (offer.TermMonths is < MinTermMonths or > MaxTermMonths)
        {
            errors[$"{path}.termMonths"] = [$"The term is {MinTermMonths} to {MaxTermMonths} months."];
        }

        if (offer.AnnualRate is < 0 or > 1)
        {
            errors[$"{path}.annualRate"] = ["The nominal annual rate is a fraction from 0 to 1 (0.059 is 5.9 %)."];
        }

        if (offer.Fees is { } fees && (!Amount(fees) || (priceKnown && fees >= financed)))
        {
            errors[$"{path}.fees"] = ["Fees must be at least zero, below the financed amount and in the currency's minor units."];
        }
    }
}
