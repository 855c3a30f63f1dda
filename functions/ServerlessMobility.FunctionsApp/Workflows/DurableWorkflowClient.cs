using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>The core's workflow client over Durable Functions' <see cref="DurableTaskClient"/>.</summary>
public sealed class DurableWorkflowClient(DurableTaskClient client) : IWorkflowClient
{
    private const string TenantTag = "tenantId";

    public async Task<string> ScheduleNewAsync(string workflowName, object? input = null, WorkflowStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options?.InstanceId is { } id && await client.GetInstanceAsync(id, false, cancellationToken) is { } existing && !IsTerminal(existing.RuntimeStatus))
        {
            return id;
        }

        var start = new StartOrchestrationOptions(options?.InstanceId, options?.StartAt)
        {
            Tags = options?.TenantId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [TenantTag] = options.TenantId },
        };
        return await client.ScheduleNewOrchestrationInstanceAsync(workflowName, input, start, cancellationToken);
    }

    public async Task<WorkflowInstance?> GetInstanceAsync(string instanceId, bool includeInputsAndOutputs = true, bool includeHistory = false, CancellationToken cancellationToken = default) =>
        await client.GetInstanceAsync(instanceId, includeInputsAndOutputs, cancellationToken) is { } metadata ? ToCore(metadata) : null;

    public Task RaiseEventAsync(string instanceId, string eventName, object? payload = null, CancellationToken cancellationToken = default) =>
        client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

    public Task TerminateAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        client.TerminateInstanceAsync(instanceId, reason, cancellationToken);

    public Task SuspendAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        client.SuspendInstanceAsync(instanceId, reason, cancellationToken);

    public Task ResumeAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        client.ResumeInstanceAsync(instanceId, reason, cancellationToken);

    public async Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken = default) =>
        (await client.PurgeInstanceAsync(instanceId, cancellationToken: cancellationToken)).PurgedInstanceCount;

    public async Task<int> PurgeAsync(WorkflowPurgeFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var durableFilter = new PurgeInstancesFilter(filter.CreatedFrom, filter.CreatedTo, filter.Statuses?.Select(ToDurable));
        return (await client.PurgeAllInstancesAsync(durableFilter, cancellationToken: cancellationToken)).PurgedInstanceCount;
    }

    public async Task<WorkflowPage> ListAsync(WorkflowQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var durableQuery = new OrchestrationQuery(query.CreatedFrom, query.CreatedTo, query.Statuses?.Select(ToDurable), query.InstanceIdPrefix, query.PageSize, query.IncludeInputsAndOutputs, query.ContinuationToken);
        await foreach (var page in client.GetAllInstancesAsync(durableQuery).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(cancellationToken))
        {
            var instances = page.Values.Select(ToCore).Where(i => query.TenantId is null || i.TenantId == query.TenantId).ToList();
            return new WorkflowPage(instances, page.ContinuationToken);
        }

        return new WorkflowPage([], null);
    }

    private static bool IsTerminal(OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    private static WorkflowInstance ToCore(OrchestrationMetadata metadata) => new()
    {
        InstanceId = metadata.InstanceId,
        Name = metadata.Name,
        RuntimeStatus = Enum.Parse<WorkflowRuntimeStatus>(metadata.RuntimeStatus.ToString()),
        CreatedAt = metadata.CreatedAt,
        LastUpdatedAt = metadata.LastUpdatedAt,
        TenantId = metadata.Tags.TryGetValue(TenantTag, out var tenant) ? tenant : null,
        SerializedInput = metadata.SerializedInput,
        SerializedOutput = metadata.SerializedOutput,
        SerializedCustomStatus = metadata.SerializedCustomStatus,
        FailureDetails = metadata.FailureDetails is { } f ? new WorkflowFailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace) : null,
    };

    private static OrchestrationRuntimeStatus ToDurable(WorkflowRuntimeStatus status) => Enum.Parse<OrchestrationRuntimeStatus>(status.ToString());
}
