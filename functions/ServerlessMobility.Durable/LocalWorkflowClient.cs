using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;
using ServerlessMobility.Durable.Storage;

namespace ServerlessMobility.Durable;

/// <summary>
/// <see cref="IWorkflowClient"/> over the local engine's storage: writes go to the instance's control
/// queue (the partition owner applies them), reads come from the instances and history tables.
/// </summary>
internal sealed class LocalWorkflowClient(DurableStore store, WorkflowRegistry registry, TimeProvider timeProvider, IOptions<DurableEngineOptions> engineOptions) : IWorkflowClient
{
    private static readonly System.Buffers.SearchValues<char> ForbiddenIdCharacters = System.Buffers.SearchValues.Create("/\\#?'~");

    public async Task<string> ScheduleNewAsync(string workflowName, object? input = null, WorkflowStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowName);
        if (!registry.Workflows.ContainsKey(workflowName))
        {
            throw new ArgumentException($"No workflow is registered with the name '{workflowName}'.", nameof(workflowName));
        }

        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        ValidateInstanceId(instanceId);
        await store.EnsureCreatedAsync();
        var now = timeProvider.GetUtcNow();
        var executionId = Guid.NewGuid().ToString("N");
        var serializedInput = DurableJson.Serialize(input);
        var pending = new InstanceState
        {
            InstanceId = instanceId,
            Name = workflowName,
            ExecutionId = executionId,
            Status = WorkflowRuntimeStatus.Pending,
            CreatedAt = now,
            LastUpdatedAt = now,
            TenantId = options?.TenantId,
            Input = serializedInput,
        };

        // Insert first (one round trip for a new id); only an existing id costs a read.
        var inserted = await store.TryAddInstanceAsync(pending, cancellationToken);
        if (!inserted)
        {
            var existing = await store.Instances.GetEntityIfExistsAsync<TableEntity>(instanceId, string.Empty, select: ["PartitionKey", "RuntimeStatus"], cancellationToken: cancellationToken);
            if (existing.HasValue && !Enum.Parse<WorkflowRuntimeStatus>(existing.Value!.GetString("RuntimeStatus")!).IsTerminal())
            {
                // Idempotent start: the instance exists and has not finished, so nothing new is scheduled.
                return instanceId;
            }

            await store.UpsertInstanceAsync(pending, cancellationToken);
        }

        var started = new ControlMessage(instanceId, executionId, new HistoryEvent(HistoryEventType.ExecutionStarted, now)
        {
            Name = workflowName,
            Payload = serializedInput,
            ExecutionId = executionId,
            TenantId = options?.TenantId,
        }, Guid.NewGuid().ToString("N")) { NewInstance = inserted };
        if (options?.StartAt is { } startAt && startAt > now)
        {
            // A scheduled start is a durable timer too, so it follows the injected clock.
            await store.AddTimerAsync(startAt, started, cancellationToken);
        }
        else
        {
            await store.SendControlAsync(started, cancellationToken);
        }

        return instanceId;
    }

    public async Task<WorkflowInstance?> GetInstanceAsync(string instanceId, bool includeInputsAndOutputs = true, bool includeHistory = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await store.EnsureCreatedAsync();
        var found = await store.GetInstanceAsync(instanceId, includeInputsAndOutputs, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var instance = found.Value.Instance;
        if (includeHistory)
        {
            var history = await store.LoadHistoryAsync(instanceId, cancellationToken);
            instance = instance with { History = history?.Events.Select(e => e.ToPublic(includeInputsAndOutputs)).ToList() ?? [] };
        }

        return instance;
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object? payload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return SendAsync(instanceId, new HistoryEvent(HistoryEventType.EventRaised, timeProvider.GetUtcNow()) { Name = eventName, Payload = DurableJson.Serialize(payload) }, cancellationToken);
    }

    public Task TerminateAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionTerminated, timeProvider.GetUtcNow()) { Payload = DurableJson.Serialize(reason) }, cancellationToken);

    public Task SuspendAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionSuspended, timeProvider.GetUtcNow()) { Payload = DurableJson.Serialize(reason) }, cancellationToken);

    public Task ResumeAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionResumed, timeProvider.GetUtcNow()) { Payload = DurableJson.Serialize(reason) }, cancellationToken);

    public async Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await store.EnsureCreatedAsync();
        var found = await store.GetInstanceAsync(instanceId, includePayloads: false, cancellationToken);
        if (found is null || !found.Value.Instance.RuntimeStatus.IsTerminal())
        {
            return 0;
        }

        await store.PurgeAsync(instanceId, cancellationToken);
        return 1;
    }

    public async Task<int> PurgeAsync(WorkflowPurgeFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = (filter.Statuses ?? Enum.GetValues<WorkflowRuntimeStatus>()).Where(s => s.IsTerminal()).ToList();
        if (statuses.Count == 0)
        {
            return 0;
        }

        var purged = 0;
        string? token = null;
        do
        {
            var page = await ListAsync(new WorkflowQuery
            {
                Statuses = statuses,
                CreatedFrom = filter.CreatedFrom,
                CreatedTo = filter.CreatedTo,
                TenantId = filter.TenantId,
                PageSize = 100,
                ContinuationToken = token,
            }, cancellationToken);
            foreach (var instance in page.Instances)
            {
                await store.PurgeAsync(instance.InstanceId, cancellationToken);
                purged++;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return purged;
    }

    public async Task<WorkflowPage> ListAsync(WorkflowQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        await store.EnsureCreatedAsync();
        var filter = BuildFilter(query);
        await foreach (var page in store.Instances.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(query.PageSize, 1000), cancellationToken: cancellationToken)
            .AsPages(query.ContinuationToken, Math.Min(query.PageSize, 1000)))
        {
            var instances = new List<WorkflowInstance>(page.Values.Count);
            foreach (var entity in page.Values)
            {
                instances.Add(await store.ToInstanceAsync(entity, query.IncludeInputsAndOutputs, cancellationToken));
            }

            return new WorkflowPage(instances, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new WorkflowPage([], null);
    }

    internal static string? BuildFilter(WorkflowQuery query)
    {
        var clauses = new List<string>();
        if (query.Statuses is { Count: > 0 } statuses)
        {
            clauses.Add("(" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"RuntimeStatus eq {s.ToString()}"))) + ")");
        }

        if (query.CreatedFrom is { } from)
        {
            clauses.Add(TableClient.CreateQueryFilter($"CreatedAt ge {from.ToUniversalTime()}"));
        }

        if (query.CreatedTo is { } to)
        {
            clauses.Add(TableClient.CreateQueryFilter($"CreatedAt le {to.ToUniversalTime()}"));
        }

        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            // A prefix is a key range: [prefix, prefix with its last character incremented).
            var prefix = query.InstanceIdPrefix;
            var upper = prefix[..^1] + (char)(prefix[^1] + 1);
            clauses.Add(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {upper}"));
        }

        if (query.TenantId is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"TenantId eq {query.TenantId}"));
        }

        return clauses.Count == 0 ? null : string.Join(" and ", clauses);
    }

    internal static void ValidateInstanceId(string instanceId)
    {
        if (instanceId.Length is 0 or > 200 || instanceId.AsSpan().IndexOfAny(ForbiddenIdCharacters) >= 0 || instanceId.Any(char.IsControl))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Instance id '{instanceId}' is invalid: 1 to 200 characters, none of / \\ # ? ' ~ or control characters."),
                nameof(instanceId));
        }
    }

    private async Task SendAsync(string instanceId, HistoryEvent e, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await store.EnsureCreatedAsync();
        var found = await store.Instances.GetEntityIfExistsAsync<TableEntity>(instanceId, string.Empty, select: ["PartitionKey", "RuntimeStatus"], cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            throw new WorkflowInstanceNotFoundException(instanceId);
        }

        var messageId = Guid.NewGuid().ToString("N");
        await store.SendControlAsync(new ControlMessage(instanceId, null, e with { MessageId = messageId }, messageId), cancellationToken);
    }

    /// <summary>The partition count, for diagnostics.</summary>
    internal int PartitionCount => engineOptions.Value.PartitionCount;
}
