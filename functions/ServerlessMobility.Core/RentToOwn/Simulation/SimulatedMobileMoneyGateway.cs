using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Core.RentToOwn.Collection;

namespace ServerlessMobility.Core.RentToOwn.Simulation;

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
/// </remarks>
public sealed class SimulatedMobileMoneyGateway(TimeProvider time) : IMobileMoneyGateway
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

    public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            if (_byKey.TryGetValue(request.IdempotencyKey, out var earlier))
            {
                return Task.FromResult(earlier);
            }

            var plan = (request.TenantId, request.PlanId);
            var declines = _declinesLeft.GetValueOrDefault(plan);
            if (declines is > 0 and < int.MaxValue)
            {
                _declinesLeft[plan] = declines - 1;
            }

            var result = declines > 0
                ? new ChargeResult(false, null, DeclinedCode)
                : new ChargeResult(true, "SIM-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request.IdempotencyKey)))[..16], null);
            _byKey[request.IdempotencyKey] = result;
            _charges.Add(new SimulatedCharge(request, result, time.GetUtcNow()));
            return Task.FromResult(result);
        }
    }
}
