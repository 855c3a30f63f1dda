using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Moq;
using ServerlessMobility.CarAsAService.Orders;

namespace ServerlessMobility.CarAsAService.Tests.Http;

/// <summary>
/// A Moq-made <see cref="DurableTaskClient"/> for tests about an endpoint only: it answers which instances
/// exist and in which state, records the events raised to them, and fails a raise on request as an
/// unavailable engine would. Everything else is the mock's default.
/// </summary>
internal sealed class RecordingDurableTaskClient
{
    private readonly Mock<DurableTaskClient> _mock = new("recording");

    public RecordingDurableTaskClient()
    {
        _mock.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns((string instanceId, bool _, CancellationToken _) => Task.FromResult<OrchestrationMetadata?>(Instances.TryGetValue(instanceId, out var status)
                ? new OrchestrationMetadata(OrderToDeliveryWorkflow.Name, instanceId) { RuntimeStatus = status }
                : null));
        _mock.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Returns((string instanceId, string eventName, object? payload, CancellationToken cancellationToken) =>
            {
                if (FailNextRaise.TryRemove(instanceId, out _))
                {
                    return Task.FromException(new InvalidOperationException("The engine is unavailable (simulated)."));
                }

                Raised.Enqueue((instanceId, eventName, payload));
                return Task.CompletedTask;
            });
    }

    public DurableTaskClient Object => _mock.Object;

    /// <summary>The instances that exist, by id.</summary>
    public ConcurrentDictionary<string, OrchestrationRuntimeStatus> Instances { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string InstanceId, string EventName, object? Payload)> Raised { get; } = new();

    /// <summary>Instance ids whose next raise fails as if the engine were down.</summary>
    public ConcurrentDictionary<string, bool> FailNextRaise { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<(string InstanceId, string EventName, object? Payload)> RaisedTo(string instanceId) => [.. Raised.Where(r => r.InstanceId == instanceId)];
}
