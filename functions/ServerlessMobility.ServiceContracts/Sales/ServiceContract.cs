using ServerlessMobility.ServiceContracts.Cancellation;
using ServerlessMobility.ServiceContracts.Claims;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Records;

namespace ServerlessMobility.ServiceContracts.Sales;

public enum ContractStatus
{
    Active,
    Cancelled,
}

/// <summary>The customer's acceptance as recorded at the sale: who typed their name, when, from where, and the hash of the document they accepted.</summary>
public sealed record Acceptance(string Name, DateTimeOffset AcceptedAt, string IpAddress, string DocumentHash);

/// <summary>
/// A sold service contract. It keeps the product version, the country rule and the price it was sold under, so later
/// changes to either never change what the customer bought. <see cref="Receipts"/> are the ledger positions of every
/// change; they are not part of the hashed content (the hash of a change cannot contain itself).
/// </summary>
public sealed record ServiceContract(
    string Id,
    string TenantId,
    string QuoteId,
    string CustomerId,
    string ProductId,
    string ProductName,
    ContractProductVersion ProductVersion,
    CountryRule Country,
    VehicleFacts Vehicle,
    PriceExplanation Price,
    Acceptance Acceptance,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    ContractStatus Status,
    IReadOnlyList<ContractClaim> Claims,
    ContractCancellation? Cancellation,
    IReadOnlyList<ContractReceipt> Receipts,
    Renewal.RenewalConsent? RenewalConsent = null,
    IReadOnlyList<Renewal.ContractRenewal>? Renewals = null,
    PaymentTerms? Payment = null,
    IReadOnlyList<ContractInstalment>? Instalments = null,
    CoverageSuspension? Suspension = null,
    IReadOnlyList<DateTimeOffset>? RenewalRemindersSent = null,
    ContractPdfRef? Document = null)
{
    /// <summary>The odometer reading at which the coverage ends, if the term has a distance.</summary>
    public int? EndsAtOdometerKm => ProductVersion.Terms.TermKilometres is { } km ? Vehicle.OdometerKm + km : null;

    public bool IsExpiredAt(DateTimeOffset now) => now >= EndsAt;

    /// <summary>
    /// Active, suspended (an instalment unpaid after every retry), cancelled, or expired once the term has run out (a
    /// state of time, not a stored change).
    /// </summary>
    public string StateAt(DateTimeOffset now) =>
        Status == ContractStatus.Cancelled ? "cancelled" : IsExpiredAt(now) ? "expired" : Suspension is not null ? "suspended" : "active";
}
