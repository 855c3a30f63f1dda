using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.CarAsAService.Orders;
using ServerlessMobility.Core.Vehicles;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.Core.CarAsAService.Features;

public sealed record FeatureStateUpdate(string TenantId, string SubscriptionId, FeatureSubscriptionState State, DateTimeOffset At, string? Reason, string? AuthorizationId);

public sealed record FeatureCommand(string TenantId, string SubscriptionId, string Method);

public sealed record FeatureSettlement(string TenantId, string SubscriptionId, string AuthorizationId);

public sealed record FeatureSupportRequest(string TenantId, string SubscriptionId, string Kind, string Detail);

public sealed record FeatureNotice(string TenantId, string SubscriptionId, string Kind, string Message);

public sealed record FeatureBillingStart(string TenantId, string CustomerId, DateTimeOffset PeriodStart);

public sealed record FeatureMonthBilled(IReadOnlyList<string> InvoiceIds, bool HasOpenSubscriptions);

/// <summary>Activity names of the feature workflows; the Azure Functions app binds one function to each.</summary>
public static class FeatureActivities
{
    public const string AuthorizePayment = "Features_AuthorizePayment";
    public const string RecordState = "Features_RecordState";
    public const string SendVehicleCommand = "Features_SendVehicleCommand";
    public const string SettlePayment = "Features_SettlePayment";
    public const string VoidPayment = "Features_VoidPayment";
    public const string OpenSupportCase = "Features_OpenSupportCase";
    public const string NotifyCustomer = "Features_NotifyCustomer";
    public const string StartBilling = "Features_StartBilling";
    public const string BillMonth = "Features_BillMonth";
}

/// <summary>Places the hold; the idempotency key is the subscription, so a re-run finds the same hold.</summary>
public sealed class AuthorizeFeaturePaymentActivity(ITenantRepository<FeatureSubscription> subscriptions, ICardPayments payments)
    : WorkflowActivity<FeaturePurchaseRef, CardAuthorization>
{
    public override async Task<CardAuthorization> RunAsync(ActivityContext context, FeaturePurchaseRef input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, cancellationToken);
        return await payments.AuthorizeAsync(new CardAuthorizationRequest($"feature-auth:{subscription.Id}", subscription.TenantId,
            subscription.CustomerId, subscription.Id, subscription.UpfrontAmount), cancellationToken);
    }
}

/// <summary>Writes a state change with the subscription's ETag; repeating the same change is harmless.</summary>
public sealed class RecordFeatureStateActivity(ITenantRepository<FeatureSubscription> subscriptions)
    : WorkflowActivity<FeatureStateUpdate, FeatureSubscription>
{
    public override async Task<FeatureSubscription> RunAsync(ActivityContext context, FeatureStateUpdate input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await subscriptions.UpdateAsync(input.TenantId, input.SubscriptionId, current =>
        {
            var next = current.MoveTo(input.State, input.At, input.Reason);
            return input.AuthorizationId is null || next.AuthorizationId == input.AuthorizationId ? next : next with { AuthorizationId = input.AuthorizationId };
        }, cancellationToken);
    }
}

/// <summary>
/// Sends activateFeature / deactivateFeature with the feature's configuration. No answer in time or a
/// refusal throws, so the workflow's retry policy tries again later; the command id lets the vehicle
/// recognise a repeat of a command it already applied.
/// </summary>
public sealed class SendFeatureCommandActivity(ITenantRepository<FeatureSubscription> subscriptions, IVehicleCommandChannel vehicles, IOptions<FeatureActivationOptions> options)
    : WorkflowActivity<FeatureCommand, Unit>
{
    public override async Task<Unit> RunAsync(ActivityContext context, FeatureCommand input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, cancellationToken);
        var payload = JsonSerializer.Serialize(new
        {
            commandId = $"{subscription.Id}:{input.Method}",
            feature = subscription.FeatureCode,
            configuration = subscription.Configuration,
            until = subscription.EndsAt,
        });
        var result = await vehicles.InvokeAsync(subscription.Vin, input.Method, payload, options.Value.VehicleResponseTimeout, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Vehicle answered '{input.Method}' with status {result.Status}: {result.PayloadJson}");
        }

        return Unit.Value;
    }
}

/// <summary>
/// After a confirmed activation: a fixed duration is captured (it was paid for up front); an open-ended
/// subscription's hold is released, because it is billed monthly in arrears.
/// </summary>
public sealed class SettleFeaturePaymentActivity(ITenantRepository<FeatureSubscription> subscriptions, ICardPayments payments)
    : WorkflowActivity<FeatureSettlement, Unit>
{
    public override async Task<Unit> RunAsync(ActivityContext context, FeatureSettlement input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, cancellationToken);
        if (subscription.Duration == FeatureDuration.OpenEndedMonthly)
        {
            await payments.VoidAsync(input.AuthorizationId, $"feature-release:{subscription.Id}", cancellationToken);
            return Unit.Value;
        }

        if (!subscription.Captured)
        {
            await payments.CaptureAsync(input.AuthorizationId, subscription.UpfrontAmount, $"feature-capture:{subscription.Id}", cancellationToken);
            await subscriptions.UpdateAsync(input.TenantId, input.SubscriptionId, s => s.Captured ? s : s with { Captured = true }, cancellationToken);
        }

        return Unit.Value;
    }
}

/// <summary>The compensation: releases the hold of a purchase whose activation failed.</summary>
public sealed class VoidFeaturePaymentActivity(ICardPayments payments) : WorkflowActivity<FeatureSettlement, Unit>
{
    public override async Task<Unit> RunAsync(ActivityContext context, FeatureSettlement input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await payments.VoidAsync(input.AuthorizationId, $"feature-void:{input.SubscriptionId}", cancellationToken);
        return Unit.Value;
    }
}

public sealed class OpenFeatureSupportCaseActivity(ITenantRepository<FeatureSubscription> subscriptions, ISupportDesk desk)
    : WorkflowActivity<FeatureSupportRequest, Unit>
{
    public override async Task<Unit> RunAsync(ActivityContext context, FeatureSupportRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, cancellationToken);
        await desk.OpenCaseAsync(new SupportCase($"{subscription.Id}.{input.Kind}", subscription.TenantId, subscription.CustomerId, subscription.Vin,
            $"Feature {subscription.FeatureCode}: {input.Kind}", input.Detail), cancellationToken);
        return Unit.Value;
    }
}

/// <summary>Push and e-mail through the customer notification port; one notice per subscription and kind.</summary>
public sealed class NotifyFeatureCustomerActivity(ITenantRepository<FeatureSubscription> subscriptions, ICustomerNotifier notifier)
    : WorkflowActivity<FeatureNotice, Unit>
{
    public override async Task<Unit> RunAsync(ActivityContext context, FeatureNotice input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, cancellationToken);
        await notifier.NotifyAsync(new CustomerNotification(subscription.TenantId, subscription.CustomerId, input.Kind, input.Message,
            $"{subscription.Id}.{input.Kind}"), cancellationToken);
        return Unit.Value;
    }
}

/// <summary>Starts the customer's billing workflow; a running one is left as it is.</summary>
public sealed class StartFeatureBillingActivity(IWorkflowClient workflows) : WorkflowActivity<FeatureBillingStart, Unit>
{
    public override async Task<Unit> RunAsync(ActivityContext context, FeatureBillingStart input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await workflows.ScheduleNewAsync(FeatureBillingWorkflow.Name, new FeatureBillingInput(input.TenantId, input.CustomerId, input.PeriodStart),
            new WorkflowStartOptions { InstanceId = FeatureBillingWorkflow.InstanceIdFor(input.TenantId, input.CustomerId), TenantId = input.TenantId }, cancellationToken);
        return Unit.Value;
    }
}

/// <summary>
/// Invoices one month in arrears and collects it. Safe to repeat: the invoice id is the customer, month
/// and currency; a paid invoice is never charged again and the charge carries the invoice id as its key.
/// </summary>
public sealed class BillFeatureMonthActivity(ITenantRepository<FeatureSubscription> subscriptions, ITenantRepository<FeatureInvoice> invoices,
    IDocumentStore documents, ICardPayments payments, ICustomerNotifier notifier, TimeProvider time)
    : WorkflowActivity<FeatureBillingInput, FeatureMonthBilled>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public override async Task<FeatureMonthBilled> RunAsync(ActivityContext context, FeatureBillingInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var all = await subscriptions.QueryAsync(input.TenantId, "customerId", input.CustomerId, cancellationToken);
        var lines = FeatureBilling.Lines(all, input.PeriodStart);
        var ids = new List<string>();
        foreach (var draft in FeatureBilling.Invoices(input.TenantId, input.CustomerId, input.PeriodStart, lines, time.GetUtcNow()))
        {
            ids.Add(draft.Id);
            await IssueAndCollectAsync(draft, cancellationToken);
        }

        var open = all.Any(s => s.Duration == FeatureDuration.OpenEndedMonthly && s.IsOpen);
        return new FeatureMonthBilled(ids, open);
    }

    private async Task IssueAndCollectAsync(FeatureInvoice draft, CancellationToken cancellationToken)
    {
        var stored = await invoices.GetAsync(draft.TenantId, draft.Id, cancellationToken);
        if (stored is null)
        {
            var paths = await WriteDocumentsAsync(draft, cancellationToken);
            try
            {
                stored = await invoices.CreateAsync(draft.TenantId, draft.Id, draft with { DocumentPaths = paths }, cancellationToken);
            }
            catch (Http.ConflictException)
            {
                stored = await invoices.GetAsync(draft.TenantId, draft.Id, cancellationToken);
            }
        }

        var invoice = stored!.Value;
        if (invoice.Status == FeatureInvoiceStatus.Paid)
        {
            return;
        }

        var charge = await payments.ChargeAsync(new CardChargeRequest($"feature-invoice:{invoice.Id}", invoice.TenantId, invoice.CustomerId, invoice.Id, invoice.Gross), cancellationToken);
        var settled = charge.Succeeded
            ? invoice with { Status = FeatureInvoiceStatus.Paid, ProviderReference = charge.ProviderReference, FailureCode = null }
            : invoice with { Status = FeatureInvoiceStatus.PaymentFailed, FailureCode = charge.FailureCode };
        await invoices.ReplaceAsync(invoice.TenantId, invoice.Id, settled, stored.ETag, cancellationToken);
        await notifier.NotifyAsync(new CustomerNotification(invoice.TenantId, invoice.CustomerId,
            charge.Succeeded ? "feature-invoice-paid" : "feature-invoice-payment-failed",
            string.Create(CultureInfo.InvariantCulture, $"Feature invoice {invoice.Id}: {invoice.Gross.Amount:0.00} {invoice.Currency}{(charge.Succeeded ? " paid" : " could not be collected")}."),
            $"{invoice.Id}.{(charge.Succeeded ? "paid" : "failed")}"), cancellationToken);
    }

    private async Task<IReadOnlyList<string>> WriteDocumentsAsync(FeatureInvoice invoice, CancellationToken cancellationToken)
    {
        var json = FeatureInvoiceDocuments.PathFor(invoice, "json");
        var html = FeatureInvoiceDocuments.PathFor(invoice, "html");
        await documents.PutAsync(json, "application/json", JsonSerializer.SerializeToUtf8Bytes(invoice, Json), cancellationToken);
        await documents.PutAsync(html, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(FeatureInvoiceDocuments.Html(invoice)), cancellationToken);
        return [json, html];
    }
}

/// <summary>Where feature invoices live among the dealership's documents, and their printable form.</summary>
public static class FeatureInvoiceDocuments
{
    public static string PathFor(FeatureInvoice invoice, string extension)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return $"{invoice.TenantId}/customers/{invoice.CustomerId}/feature-invoices/{invoice.Id}.{extension}";
    }

    public static string Html(FeatureInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var culture = CultureInfo.InvariantCulture;
        var rows = new StringBuilder();
        foreach (var line in invoice.Lines)
        {
            rows.Append(culture, $"<tr><td>{Encode(line.FeatureName)} ({Encode(line.Vin)})</td><td>{line.From:yyyy-MM-dd HH:mm} - {line.To:yyyy-MM-dd HH:mm}</td>")
                .Append(culture, $"<td>{line.ShareOfMonth:0.######}</td><td>{line.Net.Amount:0.00}</td><td>{line.VatRate:P0} {line.Vat.Amount:0.00}</td><td>{line.Gross.Amount:0.00}</td></tr>");
        }

        return string.Create(culture, $"""
            <!doctype html><html><head><meta charset="utf-8"><title>Feature invoice {Encode(invoice.Id)}</title></head><body>
            <h1>Feature invoice {Encode(invoice.Id)}</h1>
            <p>Period {invoice.PeriodStart:yyyy-MM-dd} to {invoice.PeriodEnd:yyyy-MM-dd} (UTC), billed in arrears. Currency {invoice.Currency}.</p>
            <table><thead><tr><th>Feature</th><th>Active</th><th>Share of month</th><th>Net</th><th>VAT</th><th>Gross</th></tr></thead><tbody>{rows}</tbody></table>
            <p>Net {invoice.Net.Amount:0.00}, VAT {invoice.Vat.Amount:0.00}, total {invoice.Gross.Amount:0.00} {invoice.Currency}</p>
            </body></html>
            """);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>Support cases as JSON documents among the dealership's documents, keyed by case id.</summary>
public sealed class DocumentSupportDesk(IDocumentStore documents) : ISupportDesk
{
    public Task OpenCaseAsync(SupportCase supportCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        return documents.PutAsync($"{supportCase.TenantId}/support-cases/{supportCase.Id}.json", "application/json",
            JsonSerializer.SerializeToUtf8Bytes(supportCase), cancellationToken);
    }
}
