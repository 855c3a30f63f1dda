using DurableTask.Core.History;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>
/// The isolated worker hands out Durable's client only as a <c>[DurableClient]</c> binding of the running
/// invocation, never through dependency injection. Functions that bind it hand it over here (one per
/// invocation scope), and the core's services that take a <see cref="DurableTaskClient"/> (endpoints, use
/// cases, the activities that start or signal workflows) receive this forwarder. It forwards every call to
/// the bound client but never disposes it: the extension caches that client and reuses it for later
/// invocations, so the scope that ends with this invocation must not close it.
/// </summary>
public sealed class InvocationDurableClient() : DurableTaskClient("invocation"), IDisposable
{
    private DurableTaskClient? _bound;

    /// <summary>Hands over the invocation's binding.</summary>
    public void Use(DurableTaskClient client) => _bound = client ?? throw new ArgumentNullException(nameof(client));

    private DurableTaskClient Bound => _bound
        ?? throw new InvalidOperationException("This function did not bind a [DurableClient]; every HTTP and activity function binds one and hands it over before running core code.");

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        Bound.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        Bound.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Bound.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Bound.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Bound.TerminateInstanceAsync(instanceId, options, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Bound.SuspendInstanceAsync(instanceId, reason, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Bound.ResumeInstanceAsync(instanceId, reason, cancellation);

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Bound.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Bound.GetAllInstancesAsync(filter);

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Bound.PurgeInstanceAsync(instanceId, options, cancellation);

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Bound.PurgeAllInstancesAsync(filter, options, cancellation);

    /// <summary>
    /// The bound gRPC client streams the history from the Functions host's Durable extension (StreamInstanceHistory,
    /// WebJobs.Extensions.DurableTask 3.18.0 here). A host whose extension predates it answers Unimplemented, which the
    /// client passes on as a raw RpcException: it becomes the SDK's NotSupportedException, so the core shows the
    /// instance without its history instead of failing.
    /// </summary>
    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        try
        {
            return await Bound.GetOrchestrationHistoryAsync(instanceId, cancellation);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            throw new NotSupportedException($"The Functions host's Durable extension cannot stream instance histories: {e.Status.Detail}", e);
        }
    }

    /// <summary>The bound client belongs to the extension, which reuses it: nothing to release here.</summary>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose()
    {
    }
}
