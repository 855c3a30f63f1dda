using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Platform.Simulation;

namespace ServerlessMobility.RentToOwn.Simulation;

/// <summary>A charge the simulated provider answered: what was asked, what it answered, and when.</summary>
public sealed record SimulatedCharge(ChargeRequest Request, ChargeResult Result, DateTimeOffset At);

/// <summary>
/// The local stand-in for a mobile-money provider: approves every charge unless told otherwise for a plan,
/// and answers a repeated idempotency key with the first answer, as real providers do.
/// </summary>
/// <remarks>
/// Its control surface (<see cref="DeclineNext"/>, <see cref="DeclineAll"/>, <see cref="ApproveAll"/>,
/// <see cref="ChargesFor"/>) is per plan and plain data, so that tests sharing one host stay apart and a
/// Development-only API can drive it the same way; it is never part of a production wiring.
/// <para>A script of the Development control API (<see cref="PartnerSimulatorControl"/>, subject: the plan id or the
/// customer id) comes first: approve, decline with a code, fail, delay or never answer.</para>
/// </remarks>
public sealed class SimulatedMobileMoneyGateway(TimeProvider time, PartnerSimulatorControl? control = null) : IMobileMoneyGateway
{
    public const string DeclinedCode = "insufficient-funds";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ChargeResult> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Tenant, string Plan), int> _declinesLeft = [];
    private readonly List<SimulatedCharge> _charges = [];

    /// <summary>Every new charge (repeats of an idempotency key excluded), oldest first.</summary>
    public IReadOnlyList<SimulatedCharge> Charges
    {
        get
        {
            lock (_lock)
            {
                return [.. _charges];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> new charges of the plan decline (the customer's wallet is short); later ones are approved.</summary>
    public void DeclineNext(string tenantId, string planId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _declinesLeft[(tenantId, planId)] = count;
        }
    }

    /// <summary>Every new charge of the plan declines until <see cref="ApproveAll"/>.</summary>
    public void DeclineAll(string tenantId, string planId) => DeclineNext(tenantId, planId, int.MaxValue);

    /// <summary>New charges of the plan are approved again.</summary>
    public void ApproveAll(string tenantId, string planId) => DeclineNext(tenantId, planId, 0);

    public IReadOnlyList<SimulatedCharge> ChargesFor(string tenantId, string planId)
    {
        lock (_lock)
        {
            return [.. _charges.Where(c => c.Request.TenantId == tenantId && c.Request.PlanId == planId)];
        }
    }

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            if (_byKey.TryGetValue(request.IdempotencyKey, out var earlier))
            {
                return earlier;
            }
        }

        // A scripted answer (Development control API) for a new key; a repeated key keeps its first answer.
        var scripted = control?.Next(PartnerSimulators.MobileMoney, request.TenantId, request.PlanId, request.CustomerId);
        if (scripted is not null)
        {
            try
            {
                await control!.WaitAsync(scripted, cancellationToken).ConfigureAwait(false);
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

            var plan = (request.TenantId, request.PlanId);
            var declines = _declinesLeft.GetValueOrDefault(plan);
            if (declines is > 0 and < int.MaxValue)
            {
                _declinesLeft[plan] = declines - 1;
            }

            var scriptedDecline = scripted?.Outcome is SimulatedOutcomeKind.Decline or SimulatedOutcomeKind.Reject;
            var result = scriptedDecline
                ? new ChargeResult(false, null, scripted!.Code ?? DeclinedCode)
                : declines > 0
                    ? new ChargeResult(false, null, DeclinedCode)
                    : new ChargeResult(true, "SIM-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request.IdempotencyKey)))[..16], null);
            _byKey[request.IdempotencyKey] = result;
            _charges.Add(new SimulatedCharge(request, result, time.GetUtcNow()));
            Record(request, result.Succeeded ? "approve" : "decline", result.Succeeded ? result.ProviderReference : result.FailureCode);
            return result;
        }
    }

    private void Record(ChargeRequest request, string outcome, string? detail) =>
        control?.Record(PartnerSimulators.MobileMoney, request.TenantId, request.PlanId, "charge", outcome,
            $"{request.Amount} {request.Currency} key {request.IdempotencyKey} customer {request.CustomerId}: {detail}");
}
