using System.Globalization;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Features;

/// <summary>
/// A paid feature invoice as a PDF through the shared document issuer, in the customer's language, with one tax
/// line per country and rate (a customer may use features on vehicles registered in different countries). The
/// document id is the invoice's, so issuing again returns the document issued first.
/// </summary>
public sealed class FeatureInvoicePdf(DocumentIssuer issuer, PdfDocumentRenderer renderer, ITenantRepository<Customer> customers)
{
    public static string DocumentIdFor(string invoiceId) => "feature-invoice-" + invoiceId;

    public static string NumberOf(FeatureInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return "FI-" + invoice.Id;
    }

    public async Task<NotificationDocument> IssueAsync(FeatureInvoice invoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var customer = (await customers.GetAsync(invoice.TenantId, invoice.CustomerId, cancellationToken))?.Value;
        var lineCountries = invoice.Lines.Select(l => l.Country.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();

        // The document's own country names the taxes when every line is taxed alike; each line names its own otherwise.
        var country = lineCountries.Count == 1 ? lineCountries[0] : customer?.Country ?? lineCountries.FirstOrDefault() ?? "DE";
        var language = CountryLanguages.For(customer?.Country ?? country) ?? "en";
        var period = string.Create(CultureInfo.InvariantCulture,
            $"{renderer.Title("period", language)}: {invoice.PeriodStart:yyyy-MM-dd HH:mm} - {invoice.PeriodEnd:yyyy-MM-dd HH:mm} UTC");
        var content = new DocumentContent("invoice", NumberOf(invoice), language, country, invoice.Currency, invoice.IssuedAt,
            new DocumentParty(customer?.Name ?? invoice.CustomerId, customer is null ? [] : [customer.Email, customer.Country]),
            [.. invoice.Lines.Select(l => new DocumentLine(
                string.Create(CultureInfo.InvariantCulture, $"{l.FeatureName} ({l.Vin}), {l.From:yyyy-MM-dd} - {l.To:yyyy-MM-dd}"),
                l.Net.Amount, l.VatRate, l.Country, l.Vat.Amount))],
            [new DocumentAmount("paymentReceived", invoice.Gross.Amount)],
            [period],
            invoice.Id);
        var fileName = $"feature-invoice-{invoice.Id}.pdf";
        var document = await issuer.IssueAsync(new IssueDocumentRequest(invoice.TenantId, DocumentIdFor(invoice.Id), invoice.CustomerId, content, fileName), cancellationToken);
        return new NotificationDocument(document.DocumentId, document.Version, fileName);
    }
}
