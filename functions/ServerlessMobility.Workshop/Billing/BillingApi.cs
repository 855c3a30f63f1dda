using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Notifications;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Billing;

/// <param name="Url">A signed download link of the invoice PDF, valid until <paramref name="ExpiresAt"/>.</param>
public sealed record InvoiceResponse(WorkshopInvoice Invoice, Uri Url, DateTimeOffset ExpiresAt);

/// <param name="Reference">The payment provider's or the till's reference: the same reference twice books one payment.</param>
/// <param name="Amount">The invoice's gross amount, in its currency.</param>
public sealed record RecordJobPaymentRequest(
    [property: StringLength(100), RegularExpression(InputFormats.Text)] string Reference,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal Amount);

/// <summary>
/// Invoicing a completed job (approved labour and parts, the country's tax, the PDF through the shared documents
/// capability) and booking its payment.
/// </summary>
public static class BillingApi
{
    public static string InvoiceDocumentId(string jobId) => $"workshop-invoice-{jobId}";

    /// <summary>Invoices the job once; asking again answers the same invoice and PDF.</summary>
    public static async Task<Ok<InvoiceResponse>> InvoiceAsync(string id, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] DocumentIssuer issuer, [FromServices] DocumentLinks links, [FromServices] IOptions<WorkshopOptions> options,
        [FromServices] IOptions<NotificationOptions> notificationOptions, [FromServices] WorkshopOwnerNotifier notifier, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(notificationOptions);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var job = await JobsApi.LoadVisibleAsync(id, user, jobs, cancellationToken);
        var invoice = job.Invoice;
        if (invoice is null)
        {
            if (job.Status != JobStatus.Completed)
            {
                throw new ConflictException($"The job is {job.Status}; only a completed job is invoiced.");
            }

            invoice = InvoiceCalculator.For(job, options.Value.TaxRateFor(job.Country), time.GetUtcNow());
            var content = new DocumentContent("invoice", invoice.Number, notificationOptions.Value.DefaultLanguage, invoice.Country, invoice.Net.Currency, invoice.IssuedAt,
                new DocumentParty(job.CustomerId, [job.VehicleId]),
                [.. invoice.Lines.Select(l => new DocumentLine($"{l.Description} ({l.Quantity:0.##} × {l.UnitPrice:0.00})", l.Net, invoice.TaxRate))],
                Reference: job.Id);
            var document = await issuer.IssueAsync(new IssueDocumentRequest(job.TenantId, InvoiceDocumentId(job.Id), job.CustomerId, content, $"invoice-{invoice.Number}.pdf"),
                cancellationToken);
            var issued = invoice with { DocumentId = document.DocumentId, DocumentVersion = document.Version, DocumentSha256 = document.Sha256 };
            (job, invoice) = await jobs.UpdateAsync(user.TenantId, id, j =>
            {
                // A concurrent request invoiced first: its invoice stands.
                if (j.Invoice is not null)
                {
                    return j.Invoice;
                }

                j.MoveTo(JobStatus.Invoiced, issued.IssuedAt, issued.Number);
                j.Invoice = issued;
                return issued;
            }, "Job", cancellationToken);
        }

        // Asked again (a retry), the owner is not told twice: the message's event id is the job's invoice.
        await notifier.InvoiceReadyAsync(job, cancellationToken);
        var link = links.Create(job.TenantId, invoice.DocumentId!, invoice.DocumentVersion ?? 1);
        var url = new Uri($"{http.Request.Scheme}://{http.Request.Host}{ServerlessMobilityApi.RoutePrefix}/documents/download?{link.Query}");
        return TypedResults.Ok(new InvoiceResponse(invoice, url, link.ExpiresAt));
    }

    /// <summary>Books the payment of the invoice (the full gross amount); the same reference again changes nothing.</summary>
    public static async Task<Ok<ServiceJob>> RecordPaymentAsync(string id, RecordJobPaymentRequest request, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        if (!InputFormats.IsText(request.Reference, 100))
        {
            throw RequestValidationException.For("reference", "A payment reference of at most 100 characters is required.");
        }

        if (request.Amount <= 0)
        {
            throw RequestValidationException.For("amount", "A positive amount is required.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var job = await JobsApi.LoadVisibleAsync(id, user, jobs, cancellationToken);
        var amount = Money.Of(request.Amount, job.Currency);
        var (updated, _) = await jobs.UpdateAsync(user.TenantId, id, j =>
        {
            j.Pay(request.Reference, amount, time.GetUtcNow());
            return true;
        }, "Job", cancellationToken);
        return TypedResults.Ok(updated);
    }
}
