using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Estimates;

namespace ServerlessMobility.Workshop.Billing;

/// <summary>One invoiced line: approved work (hours × rate) or an approved part (quantity × unit price).</summary>
/// <param name="CoverageItem">The service contract's coverage item the line was claimed under, if any.</param>
public sealed record InvoiceLine(string LineId, EstimateLineKind Kind, string Description, decimal Quantity, decimal UnitPrice, decimal Net, string? CoverageItem = null);

/// <summary>What the vehicle's service contract was asked to pay for one coverage item of the invoice, and what it pays.</summary>
/// <param name="Claimed">The gross amount of the invoice's lines under the item.</param>
/// <param name="RejectionReason">Why the contract pays nothing, in words; null when the claim was accepted.</param>
public sealed record InvoiceCoverage(string CoverageItem, Money Claimed, Money Payable, string? ContractId, string? ClaimId, string? RejectionReason)
{
    public bool Accepted => RejectionReason is null;
}

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
    string? DocumentSha256 = null,
    IReadOnlyList<InvoiceCoverage>? Coverage = null)
{
    /// <summary>What the owner pays: the gross amount less what their service contract pays.</summary>
    public Money AmountDue
    {
        get
        {
            var covered = Coverage?.Sum(c => c.Payable.Amount) ?? 0m;
            return Gross with { Amount = Math.Max(0m, Gross.Amount - covered) };
        }
    }

    /// <summary>The gross amount of the lines under each coverage item: what the contract is asked to pay for it.</summary>
    public IReadOnlyList<(string CoverageItem, Money Gross, string Description)> CoveredItems() =>
        [.. Lines.Where(l => l.CoverageItem is not null)
            .GroupBy(l => l.CoverageItem!, StringComparer.Ordinal)
            .Select(g => (g.Key, new Money(Currency.Round(g.Sum(l => l.Net) * (1 + TaxRate), Gross.Currency), Gross.Currency),
                string.Join("; ", g.Select(l => l.Description))))];
}

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
            .Select(l => new InvoiceLine(l.Id, l.Kind, l.Description, l.Quantity, l.UnitPrice, l.Net(currency), l.CoverageItem))
            .ToList();
        var labour = new Money(lines.Where(l => l.Kind == EstimateLineKind.Labour).Sum(l => l.Net), currency);
        var parts = new Money(lines.Where(l => l.Kind == EstimateLineKind.Part).Sum(l => l.Net), currency);
        var net = labour.Add(parts);
        var tax = new Money(Currency.Round(net.Amount * taxRate, currency), currency);
        return new WorkshopInvoice($"WS-{job.Id}", job.Country, taxRate, lines, labour, parts, net, tax, net.Add(tax), issuedAt);
    }
}
