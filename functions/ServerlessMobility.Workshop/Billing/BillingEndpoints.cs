using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Payments;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
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
public static class BillingEndpoints
{
    public static string InvoiceDocumentId(string jobId) => $"workshop-invoice-{jobId}";

    /// <summary>Invoices the job once; asking again answers the same invoice and PDF.</summary>
    public static async Task<Ok<InvoiceResponse>> InvoiceAsync(string id, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] DocumentIssuer issuer, [FromServices] DocumentLinks links, [FromServices] IOptions<WorkshopOptions> options,
        [FromServices] IOptions<NotificationOptions> notificationOptions, [FromServices] WorkshopOwnerNotifier notifier, [FromServices] TimeProvider time,
        [FromServices] IServiceCoverage coverage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(coverage);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(notificationOptions);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var job = await JobsEndpoints.LoadVisibleAsync(id, user, jobs, cancellationToken);
        var invoice = job.Invoice;
        if (invoice is null)
        {
            if (job.Status != JobStatus.Completed)
            {
                throw new ConflictException($"The job is {job.Status}; only a completed job is invoiced.");
            }

            invoice = InvoiceCalculator.For(job, options.Value.TaxRateFor(job.Country), time.GetUtcNow());
            invoice = await ApplyCoverageAsync(job, invoice, user.Subject, coverage, cancellationToken);
            var content = new DocumentContent("invoice", invoice.Number, notificationOptions.Value.DefaultLanguage, invoice.Country, invoice.Net.Currency, invoice.IssuedAt,
                new DocumentParty(job.CustomerId, [job.VehicleId]),
                [.. invoice.Lines.Select(l => new DocumentLine($"{l.Description} ({l.Quantity:0.##} × {l.UnitPrice:0.00})", l.Net, invoice.TaxRate))],
                Settlements: Settlements(invoice),
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

                // Nothing left for the owner to pay: the service contract settled the whole invoice.
                if (issued.AmountDue.Amount == 0m)
                {
                    j.Pay(CoveredPaymentReference(issued), issued.AmountDue, issued.IssuedAt);
                }

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
        var job = await JobsEndpoints.LoadVisibleAsync(id, user, jobs, cancellationToken);
        var amount = Money.Of(request.Amount, job.Currency);
        var (updated, _) = await jobs.UpdateAsync(user.TenantId, id, j =>
        {
            j.Pay(request.Reference, amount, time.GetUtcNow());
            return true;
        }, "Job", cancellationToken);
        return TypedResults.Ok(updated);
    }

    /// <summary>
    /// Charges the amount due to the owner's stored payment method through the shared payments capability. A decline is
    /// recorded on the job and answered as 422 <c>workshop-payment-declined</c>; the owner can try again (a new attempt,
    /// with its own idempotency key). Asking again once paid charges nothing.
    /// </summary>
    public static async Task<Ok<ServiceJob>> ChargeAsync(string id, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] IPaymentCollector collector, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var job = await JobsEndpoints.LoadVisibleAsync(id, user, jobs, cancellationToken);
        if (job.Status == JobStatus.Paid)
        {
            return TypedResults.Ok(job);
        }

        if (job.Status != JobStatus.Invoiced || job.Invoice is not { } invoice)
        {
            throw new ConflictException($"The job is {job.Status}; only an invoiced job is charged.");
        }

        // Two clicks at once read the same attempt number, so they share the key and the provider charges once.
        var number = job.PaymentAttempts.Count + 1;
        var key = string.Create(CultureInfo.InvariantCulture, $"{invoice.Number}-{number}");
        var due = invoice.AmountDue;
        PaymentCollectionResult result;
        try
        {
            result = await collector.CollectAsync(new PaymentCollectionRequest(job.TenantId, $"workshop-job:{job.Id}", job.CustomerId, due, key), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Nothing is recorded, so the next try sends the same key: a charge the provider took without answering is not taken twice.
            throw new StatusProblemException(StatusCodes.Status503ServiceUnavailable, "Payment provider unavailable",
                $"The payment provider did not answer; nothing was recorded. Try again: the retry uses the same attempt key ({key}), so it cannot charge twice.");
        }

        var now = time.GetUtcNow();
        var (updated, _) = await jobs.UpdateAsync(user.TenantId, id, j =>
        {
            if (!j.PaymentAttempts.Any(a => string.Equals(a.IdempotencyKey, key, StringComparison.Ordinal)))
            {
                j.PaymentAttempts.Add(new JobPaymentAttempt(number, key, due, now, user.Subject, result.ProviderReference, result.FailureCode));
            }

            if (result.Succeeded && j.Status == JobStatus.Invoiced)
            {
                j.Pay(result.ProviderReference!, due, now);
            }

            return true;
        }, "Job", cancellationToken);
        if (!result.Succeeded)
        {
            throw new BusinessRuleException("workshop-payment-declined",
                $"The payment of {due.Display()} was declined ({result.FailureCode}); update the payment method and try again.");
        }

        return TypedResults.Ok(updated);
    }

    /// <summary>The payment booked when the service contract pays the whole invoice.</summary>
    public static string CoveredPaymentReference(WorkshopInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return $"covered-{invoice.Number}";
    }

    /// <summary>
    /// Asks the vehicle's service contract to pay for the lines under a coverage item. The contract module decides (deductible,
    /// limits, suspension) and records each claim once per job and item, so a retried invoice gets the same decisions.
    /// </summary>
    private static async Task<WorkshopInvoice> ApplyCoverageAsync(ServiceJob job, WorkshopInvoice invoice, string claimedBy, IServiceCoverage coverage,
        CancellationToken cancellationToken)
    {
        var items = invoice.CoveredItems();
        if (items.Count == 0)
        {
            return invoice;
        }

        var outcomes = await coverage.ClaimAsync(new CoverageClaimRequest(job.TenantId, job.VehicleId, job.Id, job.CheckIn.OdometerKm,
            [.. items.Select(i => new CoverageItemClaim(i.CoverageItem, i.Gross, i.Description))], claimedBy), cancellationToken);
        return invoice with
        {
            Coverage = [.. outcomes.Select(o => new InvoiceCoverage(o.CoverageItem, o.Claimed, o.Payable, o.ContractId, o.ClaimId, o.RejectionReason))],
        };
    }

    private static List<DocumentAmount>? Settlements(WorkshopInvoice invoice)
    {
        if (invoice.Coverage is not { Count: > 0 } coverage)
        {
            return null;
        }

        var settlements = coverage.Where(c => c.Accepted)
            .Select(c => new DocumentAmount($"Service contract {c.ContractId}, {c.ClaimId} ({c.CoverageItem})", -c.Payable.Amount))
            .ToList();
        settlements.Add(new DocumentAmount("balanceDue", invoice.AmountDue.Amount));
        return settlements;
    }
}
