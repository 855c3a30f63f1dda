using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Estimates;

namespace ServerlessMobility.Workshop.Billing;

/// <summary>One invoiced line: approved work (hours × rate) or an approved part (quantity × unit price).</summary>
public sealed record InvoiceLine(string LineId, EstimateLineKind Kind, string Description, decimal Quantity, decimal UnitPrice, decimal Net);

/// <param name="TaxRate">The fraction of the country's sales tax the whole invoice bears (one place of supply: the workshop).</param>
/// <param name="DocumentId">The PDF issued through the shared documents capability.</param>
public sealed record WorkshopInvoice(
    string Number,
    string Country,
    decimal TaxRate,
    IReadOnlyList<InvoiceLine> Lines,
    Money Labour,
    Money Parts,
    Money Net,
    Money Tax,
    Money Gross,
    DateTimeOffset IssuedAt,
    string? DocumentId = null,
    int? DocumentVersion = null,
    string? DocumentSha256 = null);

/// <summary>
/// The invoice of a job: only what the owner approved, labour as rate × hours and parts at their estimated price, with
/// the workshop country's tax on the net total, each amount rounded to the currency's minor unit half away from zero.
/// </summary>
public static class InvoiceCalculator
{
    public static WorkshopInvoice For(Jobs.ServiceJob job, decimal taxRate, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Estimate is null || job.Approval is null)
        {
            throw new Platform.Http.ConflictException("The job has no approved estimate to invoice.");
        }

        if (taxRate is < 0 or >= 1)
        {
            throw new BusinessRuleException("workshop-tax-rate", $"A tax rate is a fraction from 0 to below 1; {taxRate} is not.");
        }

        var currency = job.Estimate.Currency;
        var lines = job.Estimate.Lines
            .Where(l => job.Approval.IsApproved(l.Id))
            .Select(l => new InvoiceLine(l.Id, l.Kind, l.Description, l.Quantity, l.UnitPrice, l.Net(currency)))
            .ToList();
        var labour = new Money(lines.Where(l => l.Kind == EstimateLineKind.Labour).Sum(l => l.Net), currency);
        var parts = new Money(lines.Where(l => l.Kind == EstimateLineKind.Part).Sum(l => l.Net), currency);
        var net = labour.Add(parts);
        var tax = new Money(Currency.Round(net.Amount * taxRate, currency), currency);
        return new WorkshopInvoice($"WS-{job.Id}", job.Country, taxRate, lines, labour, parts, net, tax, net.Add(tax), issuedAt);
    }
}
