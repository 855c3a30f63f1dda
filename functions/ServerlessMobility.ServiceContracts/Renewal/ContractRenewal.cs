using System.Globalization;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Renewal;

/// <summary>The customer's consent (or its withdrawal) to renew without asking again, as recorded: when, and from where.</summary>
public sealed record RenewalConsent(bool Given, DateTimeOffset RecordedAt, string IpAddress);

/// <summary>One renewal: the term it started and the price it was renewed at, and who renewed it on which grounds.</summary>
public sealed record ContractRenewal(DateTimeOffset StartsAt, DateTimeOffset EndsAt, PriceExplanation Price, DateTimeOffset RenewedAt, string RenewedBy, bool ByCustomer);

/// <summary>
/// Renewal rules: a contract is renewed for another term of the version it was sold under, priced for the vehicle as it
/// is now, in the last <see cref="Window"/> of its term. The customer may always renew their own contract; anyone
/// else (the dealership, a renewal run) only with the customer's recorded consent.
/// </summary>
public static class ContractRenewals
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(60);

    public static ServiceContract Renew(ServiceContract contract, int odometerKm, string renewedBy, bool byCustomer, DateTimeOffset now, TimeSpan? monthLength = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Status == ContractStatus.Cancelled)
        {
            throw new ConflictException($"Contract '{contract.Id}' is cancelled.");
        }

        if (contract.IsExpiredAt(now))
        {
            throw new BusinessRuleException("contract-expired", Invariant($"The contract ended at {contract.EndsAt:O}; a lapsed contract is sold anew, not renewed."));
        }

        if (now < contract.EndsAt - Window)
        {
            throw new BusinessRuleException("renewal-too-early", Invariant($"Renewal opens {Window.TotalDays:0} days before the end of the term, on {contract.EndsAt - Window:yyyy-MM-dd}."));
        }

        if (contract.Suspension is { } suspension)
        {
            throw new BusinessRuleException("coverage-suspended", Invariant($"The coverage is suspended: instalment {suspension.InstalmentNumber} is unpaid; pay it before renewing."));
        }

        if (!byCustomer && contract.RenewalConsent is not { Given: true })
        {
            throw new BusinessRuleException("renewal-without-consent", "The customer has not consented to renewal; only the customer can renew this contract.");
        }

        if (odometerKm < contract.Vehicle.OdometerKm)
        {
            throw RequestValidationException.For("odometerKm", Invariant($"The odometer reads less than the {contract.Vehicle.OdometerKm} km recorded before."));
        }

        // Priced and checked for eligibility as the vehicle is now, under the terms the customer bought.
        var vehicle = contract.Vehicle with { OdometerKm = odometerKm };
        var price = ContractPricing.Price(contract.ProductName, contract.ProductVersion, contract.Country, vehicle, DateOnly.FromDateTime(now.UtcDateTime));
        var startsAt = contract.EndsAt;
        var endsAt = startsAt.AddMonths(contract.ProductVersion.Terms.TermMonths);
        // The next term is paid as the first was, from its first day.
        var payment = Payments.PaymentTerms.For(contract.Payment?.Schedule ?? Payments.PaymentSchedule.Once, price.Total, price.Currency, contract.ProductVersion.Terms.TermMonths);
        return contract with
        {
            Payment = payment,
            Instalments = [.. contract.Instalments ?? [], .. payment.Instalments(startsAt, (contract.Instalments?.Count ?? 0) + 1, monthLength)],
            Vehicle = vehicle,
            Price = price,
            StartsAt = startsAt,
            EndsAt = endsAt,
            Renewals = [.. contract.Renewals ?? [], new ContractRenewal(startsAt, endsAt, price, now, renewedBy, byCustomer)],
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
