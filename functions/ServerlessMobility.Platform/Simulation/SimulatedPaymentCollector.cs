using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.Platform.Payments;

namespace ServerlessMobility.Platform.Simulation;

/// <summary>
/// The local stand-in for the payment provider behind <see cref="IPaymentCollector"/>: approves every collection unless
/// the Development control API (<see cref="PartnerSimulatorControl"/>, simulator <see cref="PartnerSimulators.SharedPayments"/>,
/// subject: the account or the customer id) scripts a decline, a failure, a delay or no answer. A repeated idempotency
/// key gets the first answer, as real providers do, so a re-run activity never collects twice.
/// </summary>
public sealed class SimulatedPaymentCollector(PartnerSimulatorControl control) : IPaymentCollector
{
    public const string DeclinedCode = "card-declined";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PaymentCollectionResult> _byKey = new(StringComparer.Ordinal);

    public async Task<PaymentCollectionResult> CollectAsync(PaymentCollectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            if (_byKey.TryGetValue(request.IdempotencyKey, out var earlier))
            {
                return earlier;
            }
        }

        var scripted = control.Next(PartnerSimulators.SharedPayments, request.TenantId, request.Account, request.CustomerId);
        if (scripted is not null)
        {
            try
            {
                await control.WaitAsync(scripted, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
            {
                Record(request, PartnerSimulatorControl.NameOf(scripted.Outcome), ex.Message);
                throw;
            }
        }

        lock (_lock)
        {
            if (_byKey.TryGetValue(request.IdempotencyKey, out var earlier))
            {
                return earlier;
            }

            var result = scripted?.Outcome is SimulatedOutcomeKind.Decline or SimulatedOutcomeKind.Reject
                ? PaymentCollectionResult.Declined(scripted.Code ?? DeclinedCode)
                : PaymentCollectionResult.Paid("PAY-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request.IdempotencyKey)))[..16]);
            _byKey[request.IdempotencyKey] = result;
            Record(request, result.Succeeded ? "approve" : "decline", result.Succeeded ? result.ProviderReference : result.FailureCode);
            return result;
        }
    }

    private void Record(PaymentCollectionRequest request, string outcome, string? detail) =>
        control.Record(PartnerSimulators.SharedPayments, request.TenantId, request.Account, "collect", outcome,
            $"{request.Amount.Display()} key {request.IdempotencyKey} customer {request.CustomerId}: {detail}");
}

public static class SimulatedPaymentCollectorServiceCollectionExtensions
{
    /// <summary>The simulated provider, only where no real collector was registered before (the local host).</summary>
    public static IServiceCollection AddSimulatedPaymentCollector(this IServiceCollection services)
    {
        services.AddPartnerSimulatorControl();
        services.TryAddSingleton<IPaymentCollector, SimulatedPaymentCollector>();
        return services;
    }
}
