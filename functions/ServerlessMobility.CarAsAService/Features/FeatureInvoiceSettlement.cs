using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Features;

/// <param name="Reference">What proves the payment: a bank transfer reference, a receipt number.</param>
public sealed record SettleFeatureInvoiceRequest(
    [property: Required, StringLength(FeatureInvoiceSettlement.MaxReferenceLength), RegularExpression(InputFormats.Text)] string? Reference);

/// <summary>
/// A dealership admin records that a declined or uncollectible feature invoice was paid by other means.
/// The invoice becomes paid, so a retry still scheduled by the billing workflow charges nothing; who
/// recorded it is on the invoice and in the audit ledger.
/// </summary>
public static class FeatureInvoiceSettlement
{
    public const int MaxReferenceLength = 200;

    public static async Task<Ok<FeatureInvoice>> SettleAsync(string customerId, string invoiceId, SettleFeatureInvoiceRequest request, HttpContext http,
        [FromServices] ITenantRepository<FeatureInvoice> invoices, [FromServices] ICustomerNotifier notifier, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(invoices);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(time);
        if (!InputFormats.IsText(request.Reference, MaxReferenceLength))
        {
            throw RequestValidationException.For("reference", $"The payment's reference: 1 to {MaxReferenceLength} printable characters.");
        }

        var reference = request.Reference!.Trim();

        var user = CurrentUser.FromPrincipal(http.User);
        var stored = await invoices.GetAsync(user.TenantId, invoiceId, cancellationToken);
        if (stored is null || !string.Equals(stored.Value.CustomerId, customerId, StringComparison.Ordinal))
        {
            throw new ResourceNotFoundException("Feature invoice", invoiceId);
        }

        var settled = stored.Value.SettleManually(reference, user.Subject, time.GetUtcNow());
        var saved = await invoices.ReplaceAsync(user.TenantId, invoiceId, settled, stored.ETag, cancellationToken);
        await notifier.NotifyAsync(new CustomerNotification(user.TenantId, customerId, "feature-invoice-paid",
            $"Feature invoice {invoiceId}: your payment ({reference}) is recorded.", $"{invoiceId}.paid"), cancellationToken);
        return TypedResults.Ok(saved.Value);
    }
}
