using System.Globalization;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Features;

/// <summary>
/// Makes collection attempt N of a feature invoice at most once: a paid or uncollectible invoice, or one
/// that already had attempt N, is left as it is. Each attempt has its own idempotency key, because the
/// provider answers a repeated key with the first answer, and a retry of a decline must really be tried.
/// </summary>
/// <remarks>A paid invoice's PDF goes to the customer with the feature-invoice message; both are issued once per invoice.</remarks>
public sealed class FeatureInvoiceCollector(ITenantRepository<FeatureInvoice> invoices, ICardPayments payments, ICustomerNotifier notifier, FeatureInvoicePdf pdf)
{
    /// <summary>Makes attempt N of each invoice and answers the ids that are still unpaid.</summary>
    public async Task<IReadOnlyList<string>> CollectAsync(string tenantId, IReadOnlyList<string> invoiceIds, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoiceIds);
        var unpaid = new List<string>();
        foreach (var id in invoiceIds)
        {
            if ((await CollectAsync(tenantId, id, attempt, cancellationToken)).Status != FeatureInvoiceStatus.Paid)
            {
                unpaid.Add(id);
            }
        }

        return unpaid;
    }

    public async Task<FeatureInvoice> CollectAsync(string tenantId, string invoiceId, int attempt, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var stored = await invoices.GetAsync(tenantId, invoiceId, cancellationToken) ?? throw new Platform.Http.ResourceNotFoundException(nameof(FeatureInvoice), invoiceId);
        var invoice = stored.Value;
        if (invoice.Status is FeatureInvoiceStatus.Paid or FeatureInvoiceStatus.Uncollectible || invoice.CollectionAttempts >= attempt)
        {
            if (invoice.Status == FeatureInvoiceStatus.Paid && invoice.Settlement is null && invoice.CollectionAttempts == attempt)
            {
                // A re-run after a crash between recording the payment and sending the invoice: both are idempotent.
                await SendPaidInvoiceAsync(invoice, cancellationToken);
            }

            return invoice;
        }

        var key = attempt == 1 ? $"feature-invoice:{invoice.Id}" : $"feature-invoice:{invoice.Id}:{attempt}";
        var charge = await payments.ChargeAsync(new CardChargeRequest(key, invoice.TenantId, invoice.CustomerId, invoice.Id, invoice.Gross), cancellationToken);
        var settled = (charge.Succeeded
            ? invoice with { Status = FeatureInvoiceStatus.Paid, ProviderReference = charge.ProviderReference, FailureCode = null }
            : invoice with { Status = FeatureInvoiceStatus.PaymentFailed, FailureCode = charge.FailureCode }) with { CollectionAttempts = attempt };

        // A concurrent writer makes this throw; the activity is retried and finds the attempt already recorded.
        await invoices.ReplaceAsync(invoice.TenantId, invoice.Id, settled, stored.ETag, cancellationToken);
        if (charge.Succeeded)
        {
            await SendPaidInvoiceAsync(settled, cancellationToken);
            return settled;
        }

        await notifier.NotifyAsync(new CustomerNotification(invoice.TenantId, invoice.CustomerId, "feature-invoice-payment-failed",
            $"Feature invoice {invoice.Id}: {invoice.Gross.Display()} could not be collected.",
            $"{invoice.Id}.failed.{attempt}"), cancellationToken);
        return settled;
    }

    private async Task SendPaidInvoiceAsync(FeatureInvoice invoice, CancellationToken cancellationToken)
    {
        var document = await pdf.IssueAsync(invoice, cancellationToken);
        var total = invoice.Gross.Display();
        await notifier.NotifyAsync(new CustomerNotification(invoice.TenantId, invoice.CustomerId, "feature-invoice",
            $"Feature invoice {invoice.Id}: {total} paid.", $"{invoice.Id}.paid",
            new Dictionary<string, string>
            {
                ["invoice_number"] = FeatureInvoicePdf.NumberOf(invoice),
                ["total"] = total,
                ["period"] = string.Create(CultureInfo.InvariantCulture, $"{invoice.PeriodStart:yyyy-MM-dd} - {invoice.PeriodEnd:yyyy-MM-dd}"),
            },
            [document]), cancellationToken);
    }
}
