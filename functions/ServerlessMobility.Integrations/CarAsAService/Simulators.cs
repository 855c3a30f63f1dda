using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Catalog;
using ServerlessMobility.Core.CarAsAService.Webhooks;

namespace ServerlessMobility.Integrations.CarAsAService;

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

    /// <summary>Models the simulated factory rejects, to try the compensation.</summary>
    public IList<string> RejectedModels { get; } = [];
}

/// <summary>Signs and posts webhooks to the local host, as the real provider and factory do.</summary>
public sealed partial class WebhookSender(IHttpClientFactory clients, IOptions<SimulatorOptions> options, IOptions<WebhookOptions> secrets,
    TimeProvider time, ILogger<WebhookSender> logger)
{
    public const string ClientName = "caas-simulator-callbacks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SendAsync(string route, string secret, object body, CancellationToken cancellationToken)
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
    }

    public string PaymentsSecret => secrets.Value.PaymentsSecret;

    public string FactorySecret => secrets.Value.FactorySecret;

    /// <summary>Runs a callback later without holding up the caller (the activity), logging failures.</summary>
    public void Later(Func<CancellationToken, Task> callback)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(options.Value.StepDelay, time).ConfigureAwait(false);
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

/// <summary>A payment provider stand-in: deterministic intent ids, optional automatic payment by webhook.</summary>
public sealed class SimulatedPaymentProvider(WebhookSender sender, IOptions<SimulatorOptions> options) : IPaymentProvider
{
    public Task<PaymentIntent> CreateIntentAsync(PaymentIntentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = SimulatedIds.From("pi_", request.IdempotencyKey);
        if (options.Value.AutoPay)
        {
            sender.Later(ct => sender.SendAsync("/api/webhooks/payments", sender.PaymentsSecret, new
            {
                eventId = "evt_" + id,
                type = "payment.succeeded",
                paymentId = id,
                tenantId = request.TenantId,
                orderId = request.OrderId,
                purpose = request.Purpose.ToString().ToLowerInvariant(),
            }, ct));
        }

        return Task.FromResult(new PaymentIntent(id));
    }

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

/// <summary>A factory stand-in: accepts unless the model is configured as rejected; optionally builds the car by webhooks.</summary>
public sealed class SimulatedFactory(WebhookSender sender, IOptions<SimulatorOptions> options) : IFactory
{
    private static readonly string[] Stages = ["accepted", "in_production", "quality_check", "shipped", "ready_for_delivery"];

    public Task<FactoryOrderResult> PlaceOrderAsync(FactoryOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.RejectedModels.Contains(request.ModelId, StringComparer.Ordinal))
        {
            return Task.FromResult(new FactoryOrderResult(false, null, $"Model {request.ModelId} is not in production."));
        }

        // Order ids are unique within a dealership only, so the factory's ids include the tenant.
        var reference = $"{request.TenantId}:{request.OrderId}";
        var factoryOrderId = SimulatedIds.From("fo_", reference);
        if (options.Value.AutoManufacture)
        {
            var vin = SimulatedVin(reference);
            sender.Later(async ct =>
            {
                foreach (var stage in Stages)
                {
                    await sender.SendAsync("/api/webhooks/factory", sender.FactorySecret, new
                    {
                        eventId = $"{factoryOrderId}-{stage}",
                        tenantId = request.TenantId,
                        orderId = request.OrderId,
                        status = stage,
                        vin = stage == "ready_for_delivery" ? vin : null,
                    }, ct).ConfigureAwait(false);
                }
            });
        }

        return Task.FromResult(new FactoryOrderResult(true, factoryOrderId));
    }

    /// <summary>17 characters without I, O or Q, as a VIN has, derived from the order id.</summary>
    public static string SimulatedVin(string orderId)
    {
        const string alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(orderId));
        return "SMV" + new string([.. hash.Take(14).Select(b => alphabet[b % alphabet.Length])]);
    }
}

/// <summary>A registration office stand-in: the same order always gets the same plate.</summary>
public sealed class SimulatedRegistrationOffice : IRegistrationOffice
{
    public Task<string> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var digits = SimulatedIds.From(string.Empty, request.IdempotencyKey, 8).ToUpperInvariant();
        return Task.FromResult($"{request.Country}-{digits[..4]}-{digits[4..]}");
    }
}
