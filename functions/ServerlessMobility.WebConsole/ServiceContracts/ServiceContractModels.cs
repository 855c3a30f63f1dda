namespace ServerlessMobility.WebConsole.ServiceContracts;

// GET /api/service-contract-reports/monthly, GET /api/service-contracts/{id}, the quote and the answers of the claim
// and the cancellation: only the fields the screen shows (docs/flows/service-contracts.md defines each).

public sealed record RevenueLine(string Jurisdiction, string Currency, decimal Amount);

public sealed record MonthlyContractFigures(string Month, int Sold, int ActiveAtMonthEnd, int Expiring, int Cancelled, int CancelledForNonPayment,
    int Renewed, int RenewalBase, decimal? RenewalRate, IReadOnlyList<RevenueLine> Revenue);

public sealed record MonthlyContractReport(string From, string To, IReadOnlyList<MonthlyContractFigures> Months);

public sealed record ContractVehicle(string Vin, string Model, DateOnly FirstRegistered, int OdometerKm);

public sealed record ContractPrice(string Jurisdiction, string Currency, decimal Net, decimal Tax, decimal Total);

public sealed record ContractCoverageItem(string Code, string Name);

public sealed record ContractTerms(IReadOnlyList<ContractCoverageItem> Coverage, int TermMonths, int? TermKilometres);

public sealed record ContractProductVersion(int Version, ContractTerms Terms);

public sealed record ContractAcceptance(string Name, DateTimeOffset AcceptedAt);

public sealed record ContractClaim(string Id, string CoverageItem, decimal Amount, int OdometerKm, string Description, string? WorkshopJobId,
    DateTimeOffset ClaimedAt, string ClaimedBy, string Decision, decimal Payable, string? RejectionReason);

public sealed record ContractCancellation(DateTimeOffset CancelledAt, string CancelledBy, string Reason, decimal Refund, string Currency, string RefundExplanation);

public sealed record ContractPaymentAttempt(bool Succeeded);

public sealed record ContractInstalment(int Number, DateTimeOffset DueAt, decimal Amount, IReadOnlyList<ContractPaymentAttempt> Attempts)
{
    public bool IsPaid => Attempts.Any(a => a.Succeeded);
}

public sealed record ContractSuspension(DateTimeOffset Since, int InstalmentNumber, DateTimeOffset CancelsAt);

/// <summary>The law a contract was sold under, as far as a cancellation's refund depends on it.</summary>
/// <param name="Refund">ProRata, ProRataMinusFee or None: the refund after the cooling-off period.</param>
public sealed record ContractCountry(string Jurisdiction, string Currency, int CoolingOffDays, string Refund, decimal CancellationFee);

public sealed record ServiceContract(string Id, string CustomerId, string ProductName, ContractProductVersion ProductVersion, ContractVehicle Vehicle,
    ContractPrice Price, ContractAcceptance Acceptance, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<ContractClaim> Claims,
    ContractCancellation? Cancellation, IReadOnlyList<ContractInstalment>? Instalments, ContractSuspension? Suspension, int? EndsAtOdometerKm,
    ContractCountry? Country = null, ContractRenewalConsent? RenewalConsent = null, IReadOnlyList<ContractRenewalRecord>? Renewals = null);

/// <summary>The customer's consent to renewal as recorded: only with it may the dealership renew.</summary>
public sealed record ContractRenewalConsent(bool Given, DateTimeOffset RecordedAt);

public sealed record ContractRenewalRecord(DateTimeOffset StartsAt, DateTimeOffset EndsAt, ContractPrice Price, DateTimeOffset RenewedAt, string RenewedBy, bool ByCustomer);

public sealed record QuotePriceLine(string Label, decimal Amount);

/// <param name="DisplayedPrice">What the customer is shown as the price: the total where prices include tax, the net where tax is added at payment.</param>
public sealed record QuotePrice(string Jurisdiction, string Currency, IReadOnlyList<QuotePriceLine> Lines, decimal Net, string TaxName, decimal TaxRate, decimal Tax,
    decimal Total, decimal DisplayedPrice, string DisplayNote);

/// <param name="Schedule">Once or Monthly.</param>
public sealed record QuotePayment(string Schedule, IReadOnlyList<decimal> Amounts);

/// <summary>POST /api/service-contract-quotes and GET /api/service-contract-quotes/{id}: the priced offer the customer accepts; <see cref="ContractId"/> once they did.</summary>
public sealed record ContractQuote(string Id, string CustomerId, string ProductName, ContractProductVersion ProductVersion, ContractVehicle Vehicle, QuotePrice Price,
    DateTimeOffset ExpiresAt, string DocumentHash, QuotePayment Payment, string? ContractId);

public sealed record ServiceContractView(string State, ServiceContract Contract, Uri? DocumentUrl);
