using System.Collections.Concurrent;
using System.Security.Cryptography;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.LocalHost.Broker;

/// <summary>
/// Direct method requests in flight, by request id. An id is 128 random bits (32 hex digits), so nobody can guess
/// one, and a response completes a request only when it comes from the connection of the device the request was
/// sent to.
/// </summary>
public sealed class DirectMethodRequests
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>Answers refused because they named no request in flight for the answering device (tests and diagnostics).</summary>
    public long RefusedAnswers => Interlocked.Read(ref _refused);

    private long _refused;

    public (string RequestId, Task<DirectMethodResult> Answer) Begin(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        while (true)
        {
            var requestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var pending = new Pending(deviceId, new TaskCompletionSource<DirectMethodResult>(TaskCreationOptions.RunContinuationsAsynchronously));
            if (_pending.TryAdd(requestId, pending))
            {
                return (requestId, pending.Completion.Task);
            }
        }
    }

    public void End(string requestId) => _pending.TryRemove(requestId, out _);

    /// <summary>True when <paramref name="requestId"/> is in flight to <paramref name="clientId"/>; the answer then completes it.</summary>
    public bool TryAnswer(string clientId, string requestId, DirectMethodResult result)
    {
        if (_pending.TryGetValue(requestId, out var pending) && string.Equals(pending.DeviceId, clientId, StringComparison.Ordinal))
        {
            pending.Completion.TrySetResult(result);
            return true;
        }

        Interlocked.Increment(ref _refused);
        return false;
    }

    private sealed record Pending(string DeviceId, TaskCompletionSource<DirectMethodResult> Completion);
}
