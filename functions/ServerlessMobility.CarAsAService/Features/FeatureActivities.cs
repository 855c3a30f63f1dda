using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Vehicles;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Features;

public sealed record FeatureStateUpdate(string TenantId, string SubscriptionId, FeatureSubscriptionState State, DateTimeOffset At, string? Reason, string? AuthorizationId);

public sealed record FeatureCommand(string TenantId, string SubscriptionId, string Method);

public sealed record FeatureSettlement(string TenantId, string SubscriptionId, string AuthorizationId);

public sealed record FeatureSupportRequest(string TenantId, string SubscriptionId, string Kind, string Detail);

public sealed record FeatureNotice(string TenantId, string SubscriptionId, string Kind, string Message);

/// <param name="Kind">One of <see cref="Platform.Operations.OperatorTaskKinds"/>.</param>
public sealed record FeatureOperatorTaskRequest(string TenantId, string SubscriptionId, string Kind, string Detail);

/// <param name="ActivatedAt">When the open-ended subscription became active: billing starts with the month that holds it.</param>
public sealed record FeatureBillingStart(string TenantId, string CustomerId, DateTimeOffset ActivatedAt);

/// <param name="UnpaidInvoiceIds">Invoices whose first charge was declined.</param>
/// <param name="RetryOffsets">
/// The invoice retry schedule in force when the month was billed. It travels in the activity's result, so
/// it is recorded in the workflow's history and a replay follows the same schedule even if the setting changed.
/// </param>
/// <param name="NextPeriodEnd">The end of the next month by the <see cref="FeatureCalendar"/> in force, recorded for the same reason.</param>
public sealed record FeatureMonthBilled(IReadOnlyList<string> InvoiceIds, bool HasOpenSubscriptions, IReadOnlyList<string> UnpaidInvoiceIds, IReadOnlyList<TimeSpan> RetryOffsets,
    DateTimeOffset NextPeriodEnd);

/// <param name="Attempt">The collection attempt this round makes (the first charge at billing is attempt 1).</param>
public sealed record FeatureInvoiceRound(string TenantId, string CustomerId, IReadOnlyList<string> InvoiceIds, int Attempt);

/// <summary>Activity names of the feature workflows; the Azure Functions app binds one function to each.</summary>
public static class FeatureActivities
{
    public const string AuthorizePayment = "Features_AuthorizePayment";
    public const string RecordState = "Features_RecordState";
    public const string SendVehicleCommand = "Features_SendVehicleCommand";
    public const string SettlePayment = "Features_SettlePayment";
    public const string VoidPayment = "Features_VoidPayment";
    public const string OpenSupportCase = "Features_OpenSupportCase";
    public const string OpenOperatorTask = "Features_OpenOperatorTask";
    public const string NotifyCustomer = "Features_NotifyCustomer";
    public const string StartBilling = "Features_StartBilling";
    public const string BillMonth = "Features_BillMonth";
    public const string RetryInvoices = "Features_RetryInvoices";
    public const string GiveUpInvoices = "Features_GiveUpInvoices";
}

/// <summary>Places the hold; the idempotency key is the subscription, so a re-run finds the same hold.</summary>
public sealed class AuthorizeFeaturePaymentActivity(ITenantRepository<FeatureSubscription> subscriptions, ICardPayments payments)
    : TaskActivity<FeaturePurchaseRef, CardAuthorization>
{
    public override async Task<CardAuthorization> RunAsync(TaskActivityContext context, FeaturePurchaseRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, CancellationToken.None);
        return await payments.AuthorizeAsync(FeatureHold.Authorization(subscription), CancellationToken.None);
    }
}

/// <summary>
/// Writes a state change with the subscription's ETag; repeating the same change is harmless. The end of a
/// fixed duration is decided here, by the configured calendar, and reaches the workflow in the result.
/// </summary>
public sealed class RecordFeatureStateActivity(ITenantRepository<FeatureSubscription> subscriptions, IOptions<FeatureActivationOptions> options)
    : TaskActivity<FeatureStateUpdate, FeatureSubscription>
{
    public override async Task<FeatureSubscription> RunAsync(TaskActivityContext context, FeatureStateUpdate input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var calendar = options.Value.Calendar();
        return await subscriptions.UpdateAsync(input.TenantId, input.SubscriptionId, current =>
        {
            var next = current.MoveTo(input.State, input.At, input.Reason, calendar);
            return input.AuthorizationId is null || next.AuthorizationId == input.AuthorizationId ? next : next with { AuthorizationId = input.AuthorizationId };
        }, CancellationToken.None);
    }
}

/// <summary>
/// Sends activateFeature / deactivateFeature with the feature's configuration. No answer in time or a
/// refusal throws, so the workflow's retry policy tries again later; the command id lets the vehicle
/// recognise a repeat of a command it already applied.
/// </summary>
public sealed class SendFeatureCommandActivity(ITenantRepository<FeatureSubscription> subscriptions, IVehicleCommandChannel vehicles, IOptions<FeatureActivationOptions> options)
    : TaskActivity<FeatureCommand, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureCommand input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, CancellationToken.None);
        var payload = FeatureCommands.Payload(subscription, input.Method);
        var result = await vehicles.InvokeAsync(subscription.Vin, input.Method, payload, options.Value.VehicleResponseTimeout, CancellationToken.None);
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
    : TaskActivity<FeatureSettlement, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureSettlement input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, CancellationToken.None);
        if (subscription.Duration == FeatureDuration.OpenEndedMonthly)
        {
            await payments.VoidAsync(input.AuthorizationId, $"feature-release:{subscription.Id}", CancellationToken.None);
            return Unit.Value;
        }

        if (!subscription.Captured)
        {
            await payments.CaptureAsync(input.AuthorizationId, subscription.UpfrontAmount, $"feature-capture:{subscription.Id}", CancellationToken.None);
            await subscriptions.UpdateAsync(input.TenantId, input.SubscriptionId, s => s.Captured ? s : s with { Captured = true }, CancellationToken.None);
        }

        return Unit.Value;
    }
}

/// <summary>
/// A purchase's card hold as the provider sees it. The workflow and the reconciler that compensates an ended
/// workflow must use the same idempotency keys, or the provider would place or void a second hold.
/// </summary>
public static class FeatureHold
{
    public static CardAuthorizationRequest Authorization(FeatureSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return new($"feature-auth:{subscription.Id}", subscription.TenantId, subscription.CustomerId, subscription.Id, subscription.UpfrontAmount);
    }

    public static string VoidKey(string subscriptionId) => $"feature-void:{subscriptionId}";
}

/// <summary>The compensation: releases the hold of a purchase whose activation failed.</summary>
public sealed class VoidFeaturePaymentActivity(ICardPayments payments) : TaskActivity<FeatureSettlement, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureSettlement input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await payments.VoidAsync(input.AuthorizationId, FeatureHold.VoidKey(input.SubscriptionId), CancellationToken.None);
        return Unit.Value;
    }
}

public sealed class OpenFeatureSupportCaseActivity(ITenantRepository<FeatureSubscription> subscriptions, ISupportDesk desk)
    : TaskActivity<FeatureSupportRequest, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureSupportRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, CancellationToken.None);
        await desk.OpenCaseAsync(new SupportCase($"{subscription.Id}.{input.Kind}", subscription.TenantId, subscription.CustomerId, subscription.Vin,
            $"Feature {subscription.FeatureCode}: {input.Kind}", input.Detail), CancellationToken.None);
        return Unit.Value;
    }
}

/// <summary>Hands what the workflow could not do to a person (GET /api/operator-tasks); one task per subscription and kind.</summary>
public sealed class OpenFeatureOperatorTaskActivity(Platform.Operations.OperatorTasks operatorTasks) : TaskActivity<FeatureOperatorTaskRequest, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureOperatorTaskRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await operatorTasks.OpenAsync(input.TenantId, input.Kind, input.SubscriptionId, $"feature-subscription:{input.SubscriptionId}", input.Detail,
            null, null, FeatureActivationWorkflow.Name, CancellationToken.None);
        return Unit.Value;
    }
}

/// <summary>Push and e-mail through the customer notification port; one notice per subscription and kind.</summary>
public sealed class NotifyFeatureCustomerActivity(ITenantRepository<FeatureSubscription> subscriptions, ICustomerNotifier notifier)
    : TaskActivity<FeatureNotice, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureNotice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await subscriptions.GetRequiredAsync(input.TenantId, input.SubscriptionId, CancellationToken.None);
        await notifier.NotifyAsync(new CustomerNotification(subscription.TenantId, subscription.CustomerId, input.Kind, input.Message,
            $"{subscription.Id}.{input.Kind}", new Dictionary<string, string> { ["feature"] = subscription.FeatureName, ["title"] = subscription.FeatureName }), CancellationToken.None);
        return Unit.Value;
    }
}

/// <summary>
/// Starts the customer's billing workflow with the month of the activation, or tells a running one about the
/// activation: one that waits idle (nothing open-ended was left) starts billing again from that month; one in
/// the middle of a month drops the news, since the subscription is open and its next month bills it.
/// </summary>
public sealed class StartFeatureBillingActivity(DurableTaskClient workflows, IOptions<FeatureActivationOptions> options) : TaskActivity<FeatureBillingStart, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureBillingStart input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var calendar = options.Value.Calendar();
        var periodStart = calendar.MonthStart(input.ActivatedAt);
        await StartOrTellAsync(new FeatureBillingInput(input.TenantId, input.CustomerId, periodStart, calendar.AddMonths(periodStart, 1)));
        return Unit.Value;
    }

    private async Task StartOrTellAsync(FeatureBillingInput period)
    {
        var instanceId = FeatureBillingWorkflow.InstanceIdFor(period.TenantId, period.CustomerId);
        var existing = await workflows.GetInstanceAsync(instanceId, getInputsAndOutputs: false, CancellationToken.None);
        if (existing is not null && !existing.RuntimeStatus.IsTerminal())
        {
            await workflows.RaiseEventAsync(instanceId, FeatureBillingWorkflow.ActivatedEvent, period, CancellationToken.None);
            return;
        }

        // None yet, or one that ended (failed, terminated, or completed before billing waited idle): (re)start.
        // Two activations at once: the dedupe statuses let only one start, the other tells the started one.
        try
        {
            await workflows.ScheduleNewOrchestrationInstanceAsync(FeatureBillingWorkflow.Name, period,
                new StartOrchestrationOptions(instanceId) { DedupeStatuses = WorkflowClientExtensions.ActiveStatuses }, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // OrchestrationAlreadyExistsException when the concurrent activation started it first.
            if ((await workflows.GetInstanceAsync(instanceId, getInputsAndOutputs: false, CancellationToken.None))?.RuntimeStatus.IsTerminal() != false)
            {
                throw;
            }

            await workflows.RaiseEventAsync(instanceId, FeatureBillingWorkflow.ActivatedEvent, period, CancellationToken.None);
        }
    }
}

/// <summary>
/// Invoices one month in arrears and makes the first collection attempt. Safe to repeat: the invoice id is
/// the customer, month and currency, and <see cref="FeatureInvoiceCollector"/> makes each attempt once.
/// </summary>
public sealed class BillFeatureMonthActivity(ITenantRepository<FeatureSubscription> subscriptions, ITenantRepository<FeatureInvoice> invoices,
    IDocumentStore documents, FeatureInvoiceCollector collector, IOptions<FeatureActivationOptions> options, TimeProvider time)
    : TaskActivity<FeatureBillingInput, FeatureMonthBilled>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public override async Task<FeatureMonthBilled> RunAsync(TaskActivityContext context, FeatureBillingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var periodEnd = input.EffectivePeriodEnd;
        var all = await subscriptions.QueryAsync(input.TenantId, "customerId", input.CustomerId, CancellationToken.None);
        var lines = FeatureBilling.Lines(all, input.PeriodStart, periodEnd);
        var ids = new List<string>();
        foreach (var draft in FeatureBilling.Invoices(input.TenantId, input.CustomerId, input.PeriodStart, periodEnd, lines, time.GetUtcNow()))
        {
            ids.Add(draft.Id);
            await IssueAsync(draft, CancellationToken.None);
        }

        var unpaid = await collector.CollectAsync(input.TenantId, ids, attempt: 1, CancellationToken.None);
        var open = all.Any(s => s.Duration == FeatureDuration.OpenEndedMonthly && s.IsOpen);
        return new FeatureMonthBilled(ids, open, unpaid, RetrySchedule.Parse(options.Value.InvoiceRetrySchedule), options.Value.Calendar().MonthEnd(periodEnd));
    }

    private async Task IssueAsync(FeatureInvoice draft, CancellationToken cancellationToken)
    {
        if (await invoices.GetAsync(draft.TenantId, draft.Id, cancellationToken) is not null)
        {
            return;
        }

        var paths = await WriteDocumentsAsync(draft, cancellationToken);
        try
        {
            await invoices.CreateAsync(draft.TenantId, draft.Id, draft with { DocumentPaths = paths }, cancellationToken);
        }
        catch (Platform.Http.ConflictException)
        {
            // A repeated delivery of this activity issued it first; its copy stands.
        }
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

/// <summary>One round of the invoice retry schedule: charges again what is still unpaid and answers what remains unpaid.</summary>
public sealed class RetryFeatureInvoicesActivity(FeatureInvoiceCollector collector) : TaskActivity<FeatureInvoiceRound, IReadOnlyList<string>>
{
    public override Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, FeatureInvoiceRound input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return collector.CollectAsync(input.TenantId, input.InvoiceIds, input.Attempt, CancellationToken.None);
    }
}

/// <summary>
/// The end of the retry schedule: the invoices become uncollectible, a support case per invoice asks a
/// person to settle it with the customer, and the customer is told. The features stay on: switching off
/// what a customer uses is a decision for that person, not for a timer.
/// </summary>
public sealed class GiveUpFeatureInvoicesActivity(ITenantRepository<FeatureInvoice> invoices, ISupportDesk desk, ICustomerNotifier notifier, TimeProvider time)
    : TaskActivity<FeatureInvoiceRound, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, FeatureInvoiceRound input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var id in input.InvoiceIds)
        {
            var invoice = await invoices.UpdateAsync(input.TenantId, id,
                current => current.Status == FeatureInvoiceStatus.PaymentFailed ? current with { Status = FeatureInvoiceStatus.Uncollectible } : current,
                CancellationToken.None);
            if (invoice.Status != FeatureInvoiceStatus.Uncollectible)
            {
                continue; // paid in the meantime
            }

            var amount = invoice.Gross.Display();
            await desk.OpenCaseAsync(new SupportCase($"{invoice.Id}.uncollectible", invoice.TenantId, invoice.CustomerId,
                string.Join(",", invoice.Lines.Select(l => l.Vin).Distinct(StringComparer.Ordinal)),
                $"Feature invoice {invoice.Id} uncollectible",
                string.Create(CultureInfo.InvariantCulture, $"{amount} declined {invoice.CollectionAttempts} times (last: {invoice.FailureCode}); automatic collection stopped at {time.GetUtcNow():O}.")),
                CancellationToken.None);
            await notifier.NotifyAsync(new CustomerNotification(invoice.TenantId, invoice.CustomerId, "feature-invoice-uncollectible",
                $"Feature invoice {invoice.Id} ({amount}) could not be collected after {invoice.CollectionAttempts} attempts; our team will contact you.",
                $"{invoice.Id}.uncollectible"), CancellationToken.None);
        }

        return Unit.Value;
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
