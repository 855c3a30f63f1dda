using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Webhooks;
using ServerlessMobility.Platform.Simulation;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Partners;

public sealed class SimulatorOptions
{
    public const string SectionName = "CarAsAService:Simulators";

    /// <summary>Where the simulators send their webhooks (the local host itself).</summary>
    public Uri CallbackBaseUrl { get; set; } = new("http://127.0.0.1:7071");

    /// <summary>Pay every intent a moment after it is created (the demo); tests pay by webhook themselves.</summary>
    public bool AutoPay { get; set; }

    /// <summary>Send every manufacturing stage after an accepted order.</summary>
    public bool AutoManufacture { get; set; }

    public TimeSpan StepDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Models the simulated factory rejects, to try the compensation. The Development control API
    /// (<c>/api/dev/simulators/factory</c>) rejects one order, at any stage, without a restart.
    /// </summary>
    public IList<string> RejectedModels { get; } = [];
}

/// <summary>Signs and posts webhooks to the local host, as the real provider and factory do.</summary>
public sealed partial class WebhookSender(IHttpClientFactory clients, IOptions<SimulatorOptions> options, IOptions<WebhookOptions> secrets,
    TimeProvider time, ILogger<WebhookSender> logger)
{
    public const string ClientName = "caas-simulator-callbacks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SendAsync(string route, string secret, object body, CancellationToken cancellationToken) =>
        await DeliverAsync(route, secret, body, cancellationToken).ConfigureAwait(false);

    /// <returns>The HTTP status the webhook was answered with.</returns>
    public async Task<int> DeliverAsync(string route, string secret, object body, CancellationToken cancellationToken)
    {
        var raw = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.CallbackBaseUrl, route))
        {
            Content = new ByteArrayContent(raw) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Add(WebhookOptions.TimestampHeader, timestamp);
        request.Headers.Add(WebhookOptions.SignatureHeader, WebhookSignature.Compute(secret, timestamp, raw));
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        LogSent(logger, route, (int)response.StatusCode);
        return (int)response.StatusCode;
    }

    public string PaymentsSecret => secrets.Value.PaymentsSecret;

    public string FactorySecret => secrets.Value.FactorySecret;

    /// <summary>Runs a callback later without holding up the caller (the activity), logging failures.</summary>
    public void Later(Func<CancellationToken, Task> callback) => Later(callback, options.Value.StepDelay);

    /// <summary>Runs a callback after <paramref name="delay"/> without holding up the caller, logging failures.</summary>
    public void Later(Func<CancellationToken, Task> callback, TimeSpan delay)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, time).ConfigureAwait(false);
                await callback(CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a simulator callback must never crash the host; the failure is logged
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator webhook {Route} -> {Status}")]
    private static partial void LogSent(ILogger logger, string route, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator webhook failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

internal static class SimulatedIds
{
    public static string From(string prefix, string key, int length = 16) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..length];
}

/// <summary>
/// A payment provider stand-in: deterministic intent ids, optional automatic payment by webhook. The
/// Development control API scripts the answer per order (<see cref="PartnerSimulatorControl"/>) and switches
/// a tenant to manual, where no webhook is sent and a person or a test pays by signed webhook.
/// </summary>
public sealed class SimulatedPaymentProvider(WebhookSender sender, IOptions<SimulatorOptions> options, PartnerSimulatorControl? control = null) : IPaymentProvider
{
    public Task<PaymentIntent> CreateIntentAsync(PaymentIntentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = SimulatedIds.From("pi_", request.IdempotencyKey);
        var purpose = request.Purpose.ToString().ToLowerInvariant();
        var scripted = control?.Next(PartnerSimulators.PaymentProvider, request.TenantId, request.OrderId);
        var intent = $"{purpose} {request.Amount.Amount} {request.Amount.Currency}: {id}";
        if (scripted?.Outcome == SimulatedOutcomeKind.Fail)
        {
            Record(request, "create-intent", "fail", intent);
            throw new HttpRequestException($"The payment provider failed (simulated){(scripted.Code is { } code ? ": " + code : string.Empty)}.");
        }

        var mode = control?.ModeOf(PartnerSimulators.PaymentProvider, request.TenantId, options.Value.AutoPay ? SimulatorMode.Automatic : SimulatorMode.Manual)
            ?? (options.Value.AutoPay ? SimulatorMode.Automatic : SimulatorMode.Manual);
        if (mode == SimulatorMode.Manual || scripted?.Outcome == SimulatedOutcomeKind.NeverAnswer)
        {
            Record(request, "create-intent", scripted is null ? "approve" : PartnerSimulatorControl.NameOf(scripted.Outcome), intent + (mode == SimulatorMode.Manual ? " (manual: no webhook)" : " (no webhook will come)"));
            return Task.FromResult(new PaymentIntent(id));
        }

        var declined = scripted?.Outcome is SimulatedOutcomeKind.Decline or SimulatedOutcomeKind.Reject;
        var type = declined ? "payment.failed" : "payment.succeeded";
        var delay = scripted?.Outcome == SimulatedOutcomeKind.Delay ? scripted.Delay ?? options.Value.StepDelay : options.Value.StepDelay;
        Record(request, "create-intent", scripted is null ? "approve" : PartnerSimulatorControl.NameOf(scripted.Outcome), $"{intent}; {type} in {delay}");
        sender.Later(async ct =>
        {
            var status = await sender.DeliverAsync("/api/webhooks/payments", sender.PaymentsSecret, new
            {
                eventId = "evt_" + id,
                type,
                paymentId = id,
                tenantId = request.TenantId,
                orderId = request.OrderId,
                purpose,
                failureReason = declined ? scripted!.Code ?? "card-declined" : null,
            }, ct).ConfigureAwait(false);
            Record(request, "webhook", type, $"{purpose} {id} -> {status}");
        }, delay);

        return Task.FromResult(new PaymentIntent(id));
    }

    private void Record(PaymentIntentRequest request, string operation, string outcome, string detail) =>
        control?.Record(PartnerSimulators.PaymentProvider, request.TenantId, request.OrderId, operation, outcome, detail);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SimulatedRefund> _refunds = new(StringComparer.Ordinal);

    /// <summary>The refunds made, one per idempotency key (a repeated key is answered with the first refund, as providers do).</summary>
    public IReadOnlyList<SimulatedRefund> Refunds => [.. _refunds.Values.OrderBy(r => r.Sequence)];

    /// <summary>Every refund call, repeats included.</summary>
    public int RefundCalls => _refundCalls;

    private int _refundCalls;
    private long _refundSequence;

    public Task RefundAsync(string providerPaymentId, Money amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _refundCalls);
        _refunds.GetOrAdd(idempotencyKey, key => new SimulatedRefund(providerPaymentId, amount, key, Interlocked.Increment(ref _refundSequence)));
        return Task.CompletedTask;
    }
}

/// <summary>A refund the simulated provider made.</summary>
public sealed record SimulatedRefund(string PaymentId, Money Amount, string IdempotencyKey, long Sequence);

/// <summary>
/// A factory stand-in: accepts unless the model is configured as rejected; optionally builds the car by
/// webhooks. The Development control API scripts the answer per order (reject when placed or at a stage,
/// fail, delay, never send the stages) and switches a tenant to manual (no stage webhooks).
/// </summary>
public sealed class SimulatedFactory(WebhookSender sender, IOptions<SimulatorOptions> options, PartnerSimulatorControl? control = null) : IFactory
{
    /// <summary>The stage names of the factory's webhook, in order; a script rejects at one of them or at "order".</summary>
    public static readonly IReadOnlyList<string> Stages = ["accepted", "in_production", "quality_check", "shipped", "ready_for_delivery"];

    public const string OrderStage = "order";

    public async Task<FactoryOrderResult> PlaceOrderAsync(FactoryOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scripted = control?.Next(PartnerSimulators.Factory, request.TenantId, request.OrderId);
        var outcome = scripted is null ? "approve" : PartnerSimulatorControl.NameOf(scripted.Outcome);
        if (scripted?.Outcome is SimulatedOutcomeKind.Fail or SimulatedOutcomeKind.Delay)
        {
            try
            {
                await control!.WaitAsync(scripted, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                Record(request, "place-order", outcome, ex.Message);
                throw;
            }
        }

        var rejectAt = scripted?.Outcome is SimulatedOutcomeKind.Reject or SimulatedOutcomeKind.Decline ? scripted.Stage ?? OrderStage : null;
        var reason = scripted?.Code ?? "rejected-by-factory";
        if (options.Value.RejectedModels.Contains(request.ModelId, StringComparer.Ordinal) || rejectAt == OrderStage)
        {
            var why = rejectAt == OrderStage ? reason : $"Model {request.ModelId} is not in production.";
            Record(request, "place-order", "reject", why);
            return new FactoryOrderResult(false, null, why);
        }

        // Order ids are unique within a dealership only, so the factory's ids include the tenant.
        var reference = $"{request.TenantId}:{request.OrderId}";
        var factoryOrderId = SimulatedIds.From("fo_", reference);
        var configured = options.Value.AutoManufacture ? SimulatorMode.Automatic : SimulatorMode.Manual;
        var mode = control?.ModeOf(PartnerSimulators.Factory, request.TenantId, configured) ?? configured;
        if (mode == SimulatorMode.Manual || scripted?.Outcome == SimulatedOutcomeKind.NeverAnswer)
        {
            Record(request, "place-order", outcome, factoryOrderId + (mode == SimulatorMode.Manual ? " (manual: no stage webhooks)" : " (no stage webhook will come)"));
            return new FactoryOrderResult(true, factoryOrderId);
        }

        var vin = SimulatedVin(reference);
        var stages = rejectAt is null ? Stages : [.. Stages.TakeWhile(stage => stage != rejectAt), "rejected"];
        Record(request, "place-order", outcome, $"{factoryOrderId}; stages {string.Join(", ", stages)}");
        sender.Later(async ct =>
        {
            foreach (var stage in stages)
            {
                var status = await sender.DeliverAsync("/api/webhooks/factory", sender.FactorySecret, new
                {
                    eventId = $"{factoryOrderId}-{stage}",
                    tenantId = request.TenantId,
                    orderId = request.OrderId,
                    status = stage,
                    vin = stage == "ready_for_delivery" ? vin : null,
                    reason = stage == "rejected" ? reason : null,
                }, ct).ConfigureAwait(false);
                Record(request, "webhook", stage, $"{factoryOrderId} -> {status}");
            }
        });

        return new FactoryOrderResult(true, factoryOrderId);
    }

    private void Record(FactoryOrderRequest request, string operation, string outcome, string detail) =>
        control?.Record(PartnerSimulators.Factory, request.TenantId, request.OrderId, operation, outcome, detail);

    /// <summary>17 characters without I, O or Q, as a VIN has, derived from the order id.</summary>
    public static string SimulatedVin(string orderId)
    {
        const string alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(orderId));
        return "SMV" + new string([.. hash.Take(14).Select(b => alphabet[b % alphabet.Length])]);
    }
}

/// <summary>
/// A registration office stand-in: the same order always gets the same plate. The Development control API
/// scripts the answer per order: a decline (the authority refuses), a failure, a delay or no answer, each of
/// which fails the call, so the workflow's retry policy is what is seen.
/// </summary>
public sealed class SimulatedRegistrationOffice(PartnerSimulatorControl? control = null) : IRegistrationOffice
{
    public async Task<string> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scripted = control?.Next(PartnerSimulators.RegistrationOffice, request.TenantId, request.OrderId);
        var outcome = scripted is null ? "approve" : PartnerSimulatorControl.NameOf(scripted.Outcome);
        if (scripted is not null)
        {
            try
            {
                await control!.WaitAsync(scripted, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
            {
                Record(request, outcome, ex.Message);
                throw;
            }

            if (scripted.Outcome is SimulatedOutcomeKind.Decline or SimulatedOutcomeKind.Reject)
            {
                var refusal = $"The registration office refused {request.Vin}: {scripted.Code ?? "registration-refused"} (simulated).";
                Record(request, outcome, refusal);
                throw new InvalidOperationException(refusal);
            }
        }

        var digits = SimulatedIds.From(string.Empty, request.IdempotencyKey, 8).ToUpperInvariant();
        var plate = $"{request.Country}-{digits[..4]}-{digits[4..]}";
        Record(request, outcome, $"{request.Vin}: {plate}");
        return plate;
    }

    private void Record(RegistrationRequest request, string outcome, string detail) =>
        control?.Record(PartnerSimulators.RegistrationOffice, request.TenantId, request.OrderId, "register", outcome, detail);
}
