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
    public void Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string error) => errors[field] = [error];

        // Field names as the request's JSON spells them: the problem details point at what the caller sent.
        if (!Platform.Currencies.Currency.IsValidCode(Currency))
        {
            Add("currency", "Currency must be an ISO 4217 code such as KES or UGX.");
        }
        else
        {
            if (VehiclePrice <= 0 || !Platform.Currencies.Currency.HasValidPrecision(VehiclePrice, Currency))
            {
                Add("vehiclePrice", "Vehicle price must be positive and in the currency's minor units.");
            }

            if (Deposit < 0 || Deposit >= VehiclePrice || !Platform.Currencies.Currency.HasValidPrecision(Deposit, Currency))
            {
                Add("deposit", "Deposit must be at least zero, below the vehicle price and in the currency's minor units.");
            }
        }

        if (FinanceChargeRate < 0 || FinanceChargeRate > (decimal)MaxFinanceChargeRate)
        {
            Add("financeChargeRate", $"Finance charge rate must be between 0 and {MaxFinanceChargeRate}.");
        }

        if (NumberOfInstalments is < MinInstalments or > MaxInstalments)
        {
            Add("numberOfInstalments", $"Number of instalments must be between {MinInstalments} and {MaxInstalments}.");
        }

        if (FirstDueDate.Offset != TimeSpan.Zero)
        {
            Add("firstDueDate", "First due date must be in UTC.");
        }

        if (!Enum.IsDefined(Frequency))
        {
            Add("frequency", "Frequency must be daily, weekly or monthly.");
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        if (Platform.Currencies.Currency.Floor(FinancedTotal / NumberOfInstalments, Currency) < Platform.Currencies.Currency.MinorUnit(Currency))
        {
            throw new BusinessRuleException("instalment-too-small", "The financed amount is too small for that many instalments.");
        }
    }
}
