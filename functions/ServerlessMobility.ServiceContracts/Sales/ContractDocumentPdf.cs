using System.Globalization;
using ServerlessMobility.Platform.Documents;

namespace ServerlessMobility.ServiceContracts.Sales;

/// <summary>Where the contract's PDF is: the document capability's id, version and the PDF's SHA-256 (also in the audit ledger).</summary>
public sealed record ContractPdfRef(string DocumentId, int Version, string Sha256);

/// <summary>
/// The sold contract as a PDF in the country's contract language, issued through the kernel's documents capability:
/// the product and term, the price with the country's tax, the coverage, the payment schedule, the disclosures the
/// country requires and the acceptance (name, time, address and the hash of the accepted document).
/// </summary>
public static class ContractDocumentPdf
{
    public const string Kind = "service-contract";

    public static string DocumentIdFor(string contractId) => "sc-doc-" + contractId;

    public static IssueDocumentRequest Request(ServiceContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var terms = contract.ProductVersion.Terms;
        var price = contract.Price;
        var term = terms.TermKilometres is { } km
            ? Invariant($"{terms.TermMonths} months or {km} km, whichever ends first")
            : Invariant($"{terms.TermMonths} months");
        var payment = contract.Payment is { Schedule: Payments.PaymentSchedule.Monthly } monthly
            ? Invariant($"Paid monthly: {monthly.Amounts.Count} instalments of {monthly.Amounts[0]:0.00} {price.Currency} (the last {monthly.Amounts[^1]:0.00}).")
            : Invariant($"Paid once: {price.Total:0.00} {price.Currency} at the sale.");
        var notes = new List<string>
        {
            Invariant($"Vehicle {contract.Vehicle.Vin} ({contract.Vehicle.Model}), {contract.Vehicle.OdometerKm} km at the sale."),
            Invariant($"Term: {contract.StartsAt:yyyy-MM-dd} to {contract.EndsAt:yyyy-MM-dd}, {term}."),
            "Covers: " + string.Join(", ", terms.Coverage.Select(c => c.Name)) + ".",
            payment,
            Invariant($"Cooling-off period: {contract.Country.CoolingOffDays} days from acceptance."),
        };
        notes.AddRange(contract.Country.Disclosures);
        notes.Add(Invariant($"Accepted by {contract.Acceptance.Name} at {contract.Acceptance.AcceptedAt:O} from {contract.Acceptance.IpAddress}; accepted document SHA-256 {contract.Acceptance.DocumentHash}."));
        var content = new DocumentContent(Kind, contract.Id, contract.Country.DocumentLanguage, contract.Country.Jurisdiction, price.Currency, contract.Acceptance.AcceptedAt,
            new DocumentParty(contract.Acceptance.Name, [contract.CustomerId]),
            [new DocumentLine(Invariant($"{contract.ProductName} (version {contract.ProductVersion.Version})"), price.Net, price.TaxRate, Tax: price.Tax)],
            Notes: notes, Reference: contract.QuoteId);
        return new IssueDocumentRequest(contract.TenantId, DocumentIdFor(contract.Id), contract.CustomerId, content, $"service-contract-{contract.Id}.pdf");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
