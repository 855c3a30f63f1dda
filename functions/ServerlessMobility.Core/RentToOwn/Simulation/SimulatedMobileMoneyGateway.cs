using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Core.RentToOwn.Collection;

namespace ServerlessMobility.Core.RentToOwn.Simulation;

/// <summary>
/// The local stand-in for a mobile-money provider: approves every charge unless told otherwise, and
/// answers a repeated idempotency key with the first answer, as real providers do.
/// </summary>
public sealed class SimulatedMobileMoneyGateway : IMobileMoneyGateway
{
    private readonly ConcurrentDictionary<string, ChargeResult> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ChargeRequest> _requests = new();

    /// <summary>Decides each new charge; null approves. Tests set it to script declines.</summary>
    public Func<ChargeRequest, bool>? Approve { get; set; }

    public IReadOnlyCollection<ChargeRequest> Requests => _requests;

    public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = _byKey.GetOrAdd(request.IdempotencyKey, _ =>
        {
            _requests.Enqueue(request);
            return Approve?.Invoke(request) ?? true
                ? new ChargeResult(true, "SIM-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request.IdempotencyKey)))[..16], null)
                : new ChargeResult(false, null, "insufficient-funds");
        });
        return Task.FromResult(result);
    }
}
