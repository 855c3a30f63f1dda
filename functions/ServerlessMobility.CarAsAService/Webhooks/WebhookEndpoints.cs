using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Webhooks;

/// <summary>Body of a payment provider webhook. The intent's metadata carries our tenant, order and purpose.</summary>
/// <param name="Amount">What the provider took, when it says (with <paramref name="Currency"/>): used to refund money that arrived for a finished or unknown order.</param>
public sealed record PaymentWebhook(string? EventId, string? Type, string? PaymentId, string? TenantId, string? OrderId, string? Purpose, string? FailureReason,
    decimal? Amount = null, string? Currency = null);

/// <summary>Body of a factory webhook; tenantId and orderId are the dealership and order we ordered for, which the factory echoes back.</summary>
public sealed record FactoryWebhook(string? EventId, string? TenantId, string? OrderId, string? Status, string? Vin);

/// <param name="Outcome">What was done with the event (<see cref="WebhookOutcomes"/>): delivered, refunded, operatorTaskOpened, alreadyApplied, ignored.</param>
public sealed record WebhookAccepted(string EventId, bool Duplicate, string? Outcome = null);

/// <summary>
/// The two signed webhooks. Order of work: verify the signature, store the raw body, then process
/// and mark processed; a redelivery after a failed processing is processed again, a redelivery after
/// success is acknowledged without effect.
/// </summary>
public static class WebhookEndpoints
{
    public const string PaymentsProvider = "payments";
    public const string FactoryProvider = "factory";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapCarAsAServiceWebhooks(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        // No bearer token: the provider signs the body (401 when the signature or timestamp is wrong).
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").AllowAnonymous().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/payments", (HttpRequest request, [FromServices] IOptions<WebhookOptions> options, [FromServices] IWebhookInbox inbox,
                [FromServices] DurableTaskClient workflows, [FromServices] LatePayments late, [FromServices] TimeProvider time, CancellationToken ct) =>
            HandleAsync(request, PaymentsProvider, options.Value.PaymentsSecret, options.Value, inbox, time, body => ProcessPaymentAsync(body, workflows, late, ct), ct))
            .WithName("PaymentsWebhook");
        group.MapPost("/factory", (HttpRequest request, [FromServices] IOptions<WebhookOptions> options, [FromServices] IWebhookInbox inbox,
                [FromServices] DurableTaskClient workflows, [FromServices] TimeProvider time, CancellationToken ct) =>
            HandleAsync(request, FactoryProvider, options.Value.FactorySecret, options.Value, inbox, time, body => ProcessFactoryAsync(body, workflows, ct), ct))
            .WithName("FactoryWebhook");
        return api;
    }

    public static async Task<Results<Ok<WebhookAccepted>, UnauthorizedHttpResult>> HandleAsync(
        HttpRequest request, string provider, string secret, WebhookOptions options, IWebhookInbox inbox, TimeProvider time,
        Func<byte[], Task<string>> process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(process);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (!WebhookSignature.IsValid(secret, request.Headers[WebhookOptions.TimestampHeader], request.Headers[WebhookOptions.SignatureHeader],
                body, time.GetUtcNow(), options.Tolerance))
        {
            return TypedResults.Unauthorized();
        }

        var eventId = ReadEventId(body);
        var receipt = await inbox.StoreAsync(provider, eventId, body, cancellationToken);
        if (receipt.AlreadyProcessed)
        {
            return TypedResults.Ok(new WebhookAccepted(eventId, Duplicate: true, receipt.Outcome));
        }

        var outcome = await process(body);
        await inbox.MarkProcessedAsync(provider, eventId, outcome, cancellationToken);
        return TypedResults.Ok(new WebhookAccepted(eventId, Duplicate: false, outcome));
    }

    /// <summary>The event id is needed before the body is stored, so it is validated first (400 if absent).</summary>
    private static string ReadEventId(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 and <= 200 } eventId && eventId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return eventId;
            }
        }
        catch (JsonException)
        {
            throw RequestValidationException.For("body", "The body is not valid JSON.");
        }

        throw RequestValidationException.For("eventId", "An eventId of letters, digits, '-', '_' or '.' is required.");
    }

    /// <summary>
    /// A payment outcome goes to the order's running workflow. Money the workflow cannot take (its instance finished or
    /// never existed, or the purpose was already paid by another payment) is refunded or handed to an operator
    /// (<see cref="LatePayments"/>); a late failed payment moved no money and is acknowledged.
    /// </summary>
    private static async Task<string> ProcessPaymentAsync(byte[] body, DurableTaskClient workflows, LatePayments late, CancellationToken cancellationToken)
    {
        var hook = Parse<PaymentWebhook>(body);
        var tenantId = RequireTenant(hook.TenantId);
        if (string.IsNullOrWhiteSpace(hook.OrderId) || string.IsNullOrWhiteSpace(hook.PaymentId))
        {
            throw RequestValidationException.For("orderId", "orderId and paymentId are required.");
        }

        var succeeded = hook.Type switch
        {
            "payment.succeeded" => true,
            "payment.failed" => false,
            _ => throw new BusinessRuleException("payment-event-type", $"Unsupported payment event type '{hook.Type}'."),
        };
        var (eventName, purpose) = hook.Purpose switch
        {
            "deposit" => (OrderToDeliveryWorkflow.DepositPaymentEvent, PaymentPurpose.Deposit),
            "final" => (OrderToDeliveryWorkflow.FinalPaymentEvent, PaymentPurpose.Final),
            _ => throw new BusinessRuleException("payment-purpose", $"Unsupported payment purpose '{hook.Purpose}'."),
        };
        Money? reported = null;
        if (hook.Amount is { } amount)
        {
            if (amount <= 0 || hook.Currency is null)
            {
                throw RequestValidationException.For("amount", "amount must be positive and come with its ISO 4217 currency.");
            }

            reported = Money.Of(amount, hook.Currency);
        }

        if (succeeded && await late.IsOrderFinishedAsync(tenantId, hook.OrderId, cancellationToken))
        {
            // Cancelled or completed: the workflow takes no more payments, though its instance may run a moment longer.
            return await late.HandleAsync(tenantId, hook.OrderId, purpose, hook.PaymentId, reported, "order-finished", cancellationToken);
        }

        if (succeeded && await late.IsSettledByAnotherAsync(tenantId, hook.OrderId, purpose, hook.PaymentId, cancellationToken))
        {
            // The purpose is paid already: the workflow would never take this second payment.
            return await late.HandleAsync(tenantId, hook.OrderId, purpose, hook.PaymentId, reported, "purpose-already-paid", cancellationToken);
        }

        if (await workflows.RaiseIfRunningAsync(OrderToDeliveryWorkflow.InstanceIdFor(tenantId, hook.OrderId), eventName,
                new PaymentOutcome(hook.PaymentId, succeeded, hook.FailureReason), cancellationToken))
        {
            return WebhookOutcomes.Delivered;
        }

        // The order's workflow ended (or never existed): Durable would drop the event, and with it the money.
        return succeeded
            ? await late.HandleAsync(tenantId, hook.OrderId, purpose, hook.PaymentId, reported, "order-workflow-ended", cancellationToken)
            : WebhookOutcomes.Ignored;
    }

    private static async Task<string> ProcessFactoryAsync(byte[] body, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var hook = Parse<FactoryWebhook>(body);
        var tenantId = RequireTenant(hook.TenantId);
        if (string.IsNullOrWhiteSpace(hook.OrderId))
        {
            throw RequestValidationException.For("orderId", "orderId is required.");
        }

        var stage = ParseStage(hook.Status);
        if (stage == ManufacturingStage.ReadyForDelivery && string.IsNullOrWhiteSpace(hook.Vin))
        {
            throw new BusinessRuleException("vin-on-ready", "A ready_for_delivery status must carry the VIN.");
        }

        await RaiseAsync(workflows, tenantId, hook.OrderId, OrderToDeliveryWorkflow.ManufacturingStatusEvent, new FactoryStatusEvent(hook.EventId!, stage, hook.Vin), cancellationToken);
        return WebhookOutcomes.Delivered;
    }

    private static T Parse<T>(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json) ?? throw RequestValidationException.For("body", "A JSON object is required.");
        }
        catch (JsonException ex)
        {
            throw ApiTerms.ForJson(ex, typeof(T));
        }
    }

    public static ManufacturingStage ParseStage(string? status) => status switch
    {
        "accepted" => ManufacturingStage.Accepted,
        "in_production" => ManufacturingStage.InProduction,
        "quality_check" => ManufacturingStage.QualityCheck,
        "shipped" => ManufacturingStage.Shipped,
        "ready_for_delivery" => ManufacturingStage.ReadyForDelivery,
        "rejected" => ManufacturingStage.Rejected,
        _ => throw new BusinessRuleException("factory-status", $"Unsupported factory status '{status}'."),
    };

    private static string RequireTenant(string? tenantId) => Platform.Security.TenantIds.IsValid(tenantId)
        ? tenantId!
        : throw RequestValidationException.For("tenantId", "The tenantId we sent with the order or payment is required.");

    private static async Task RaiseAsync(DurableTaskClient workflows, string tenantId, string orderId, string eventName, object payload, CancellationToken cancellationToken)
    {
        if (!await workflows.RaiseIfRunningAsync(OrderToDeliveryWorkflow.InstanceIdFor(tenantId, orderId), eventName, payload, cancellationToken))
        {
            throw new BusinessRuleException("order-in-progress", $"No order '{orderId}' is in progress.");
        }
    }
}
