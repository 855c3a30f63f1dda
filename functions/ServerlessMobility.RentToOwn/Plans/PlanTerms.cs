using FluentValidation;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.RentToOwn.Plans;

public enum PaymentFrequency
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>
/// What the customer agreed to. The finance charge is a flat rate on the financed principal, as
/// rent-to-own contracts quote it ("pay 20% on top, weekly"), so the total cost is known up front.
/// </summary>
public sealed record PlanTerms
{
    /// <summary>A flat finance charge of at most 200% of the principal.</summary>
    public const double MaxFinanceChargeRate = 2;

    public const int MinInstalments = 1;

    public const int MaxInstalments = 2000;

    public required string Currency { get; init; }

    /// <summary>Cash price of the vehicle.</summary>
    public required decimal VehiclePrice { get; init; }

    public required decimal Deposit { get; init; }

    /// <summary>Flat finance charge as a fraction of the financed principal (0.2 = 20%).</summary>
    public required decimal FinanceChargeRate { get; init; }

    public required PaymentFrequency Frequency { get; init; }

    public required int NumberOfInstalments { get; init; }

    /// <summary>Due date of the first instalment (UTC).</summary>
    public required DateTimeOffset FirstDueDate { get; init; }

    /// <summary>Whether the contract allows remote immobilisation after a default (local law and consent).</summary>
    public bool AllowsImmobilization { get; init; } = true;

    public decimal Principal => VehiclePrice - Deposit;

    public decimal FinanceCharge => Platform.Currencies.Currency.Round(Principal * FinanceChargeRate, Currency);

    /// <summary>What the instalments add up to.</summary>
    public decimal FinancedTotal => Principal + FinanceCharge;

    /// <summary>Deposit plus every instalment: what the vehicle costs the customer in the end.</summary>
    public decimal TotalCost => Deposit + FinancedTotal;

    /// <exception cref="RequestValidationException">A field is out of range.</exception>
    /// <exception cref="BusinessRuleException">The instalments would be below the currency's minor unit.</exception>
    public void Validate()
    {
        PlanTermsValidator.Instance.ValidateOrThrow(this);
        if (Platform.Currencies.Currency.Floor(FinancedTotal / NumberOfInstalments, Currency) < Platform.Currencies.Currency.MinorUnit(Currency))
        {
            throw new BusinessRuleException("instalment-too-small", "The financed amount is too small for that many instalments.");
        }
    }
}

/// <summary>The ranges of plan terms, named as the request's JSON spells them so a problem points at what the caller sent.</summary>
public sealed class PlanTermsValidator : AbstractValidator<PlanTerms>
{
    public static PlanTermsValidator Instance { get; } = new();

    public PlanTermsValidator()
    {
        RuleFor(t => t.Currency).Must(Currency.IsValidCode).WithMessage("Currency must be an ISO 4217 code such as KES or UGX.");
        When(t => Currency.IsValidCode(t.Currency), () =>
        {
            RuleFor(t => t.VehiclePrice).Must((t, price) => price > 0 && Currency.HasValidPrecision(price, t.Currency))
                .WithMessage("Vehicle price must be positive and in the currency's minor units.");
            RuleFor(t => t.Deposit).Must((t, deposit) => deposit >= 0 && deposit < t.VehiclePrice && Currency.HasValidPrecision(deposit, t.Currency))
                .WithMessage("Deposit must be at least zero, below the vehicle price and in the currency's minor units.");
        });
        RuleFor(t => t.FinanceChargeRate).InclusiveBetween(0m, (decimal)PlanTerms.MaxFinanceChargeRate)
            .WithMessage($"Finance charge rate must be between 0 and {PlanTerms.MaxFinanceChargeRate}.");
        RuleFor(t => t.NumberOfInstalments).InclusiveBetween(PlanTerms.MinInstalments, PlanTerms.MaxInstalments)
            .WithMessage($"Number of instalments must be between {PlanTerms.MinInstalments} and {PlanTerms.MaxInstalments}.");
        RuleFor(t => t.FirstDueDate).Must(date => date.Offset == TimeSpan.Zero).WithMessage("First due date must be in UTC.");
        RuleFor(t => t.Frequency).IsInEnum().WithMessage("Frequency must be daily, weekly or monthly.");
    }
}
