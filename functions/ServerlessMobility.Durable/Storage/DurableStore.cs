using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Durable.Storage;

/// <summary>
/// The engine's storage layout on one account (Azurite locally):
/// <list type="bullet">
/// <item>{hub}Instances table: one row per instance (PK = instance id), what status queries and lists read;</item>
/// <item>{hub}History table: PK = instance id, one row per history event (RK = execution id + sequence) and a
/// sentinel row holding the instance state, whose ETag serialises writers;</item>
/// <item>{hub}Timers table: PK = partition, RK = due time ticks, the durable timers;</item>
/// <item>{hub}-control-NN queues (one per partition) and the {hub}-workitems queue;</item>
/// <item>{hub}-payloads container for values too large for a table property or queue message, and
/// {hub}-leases for the partition leases.</item>
/// </list>
/// </summary>
internal sealed class DurableStore
{
    /// <summary>
    /// A table string property holds at most 64 KiB of UTF-16 (32K characters) and a queue message 64 KiB;
    /// larger values go to a blob and the row or message keeps the blob's name.
    /// </summary>
    public const int MaxInlineChars = 30_000;

    public const string SentinelRowKey = "~sentinel";
    private const int MaxBatchOperations = 100;
    private const int MaxBatchChars = 1_500_000;

    private readonly object _createGate = new();
    private Task? _created;
    private readonly QueueClient[] _controlQueues;

    public DurableStore(StorageClients storage, IOptions<DurableEngineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var hub = options.Value.TaskHubName;
        PartitionCount = options.Value.PartitionCount;
        Instances = storage.GetTable(hub + "Instances");
        History = storage.GetTable(hub + "History");
        Timers = storage.GetTable(hub + "Timers");
        WorkItems = storage.GetQueue(hub + "-workitems");
        Payloads = storage.GetContainer(hub + "-payloads");
        Leases = storage.GetContainer(hub + "-leases");
        _controlQueues = [.. Enumerable.Range(0, PartitionCount).Select(p => storage.GetQueue($"{hub}-control-{p:D2}"))];
    }

    public int PartitionCount { get; }

    public TableClient Instances { get; }

    public TableClient History { get; }

    public TableClient Timers { get; }

    public QueueClient WorkItems { get; }

    public BlobContainerClient Payloads { get; }

    public BlobContainerClient Leases { get; }

    /// <summary>Called when this process sends to a control queue or the work-item queue, to wake its dispatchers.</summary>
    public event Action<int>? ControlMessageSent;

    public event Action? WorkItemSent;

    public QueueClient ControlQueue(int partition) => _controlQueues[partition];

    /// <summary>Creates the tables, queues and containers once; a failed attempt (storage not up yet) is retried on the next call.</summary>
    public Task EnsureCreatedAsync()
    {
        lock (_createGate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = CreateAsync();
            }

            return _created;
        }
    }

    /// <summary>FNV-1a over the UTF-8 id: stable across processes and .NET versions (string.GetHashCode is not).</summary>
    public static int PartitionOf(string instanceId, int partitionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitionCount);
    }

    public int PartitionOf(string instanceId) => PartitionOf(instanceId, PartitionCount);

    // ---- payloads -------------------------------------------------------------------------------

    /// <summary>Returns the value inline, or the name of the blob it was written to when it is too large.</summary>
    public async Task<(string? Inline, string? Blob)> SpillAsync(string instanceId, string? value, CancellationToken cancellationToken)
    {
        if (value is null || value.Length <= MaxInlineChars)
        {
            return (value, null);
        }

        var name = $"{instanceId}/{Guid.NewGuid():N}";
        await Payloads.GetBlobClient(name).UploadAsync(BinaryData.FromString(value), overwrite: true, cancellationToken);
        return (null, name);
    }

    public async Task<string?> ReadSpilledAsync(string? inline, string? blob, CancellationToken cancellationToken)
    {
        if (blob is null)
        {
            return inline;
        }

        var content = await Payloads.GetBlobClient(blob).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToString();
    }

    // ---- queues ---------------------------------------------------------------------------------

    public async Task SendControlAsync(ControlMessage message, CancellationToken cancellationToken)
    {
        var partition = PartitionOf(message.InstanceId);
        var text = await EncodeAsync(message.InstanceId, DurableJson.SerializeRecord(message), cancellationToken);
        await _controlQueues[partition].SendMessageAsync(text, cancellationToken);
        ControlMessageSent?.Invoke(partition);
    }

    public async Task SendWorkItemAsync(ActivityWorkItem item, CancellationToken cancellationToken)
    {
        var text = await EncodeAsync(item.InstanceId, DurableJson.SerializeRecord(item), cancellationToken);
        await WorkItems.SendMessageAsync(text, cancellationToken);
        WorkItemSent?.Invoke();
    }

    public async Task<T> DecodeAsync<T>(QueueMessage message, CancellationToken cancellationToken)
    {
        var text = message.Body.ToString();
        if (text.StartsWith(BlobReferenceMarker, StringComparison.Ordinal))
        {
            text = (await ReadSpilledAsync(null, text[BlobReferenceMarker.Length..], cancellationToken))!;
        }

        return DurableJson.DeserializeRecord<T>(text);
    }

    private const string BlobReferenceMarker = "blob:";

    private async Task<string> EncodeAsync(string instanceId, string json, CancellationToken cancellationToken)
    {
        var (inline, blob) = await SpillAsync(instanceId, json, cancellationToken);
        return inline ?? BlobReferenceMarker + blob;
    }

    // ---- timers ---------------------------------------------------------------------------------

    public async Task AddTimerAsync(DateTimeOffset fireAt, ControlMessage message, CancellationToken cancellationToken)
    {
        var partition = PartitionOf(message.InstanceId);
        var (inline, blob) = await SpillAsync(message.InstanceId, DurableJson.SerializeRecord(message), cancellationToken);
        var entity = new TableEntity(TimerPartitionKey(partition), $"{fireAt.UtcTicks:D19}_{message.MessageId}")
        {
            ["Message"] = inline,
            ["MessageBlob"] = blob,
            ["InstanceId"] = message.InstanceId,
        };
        await Timers.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public static string TimerPartitionKey(int partition) => "p" + partition.ToString("D2", CultureInfo.InvariantCulture);

    // ---- history --------------------------------------------------------------------------------

    public async Task<LoadedHistory?> LoadHistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        TableEntity? sentinel = null;
        var rows = new List<TableEntity>();
        await foreach (var row in History.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == SentinelRowKey)
            {
                sentinel = row;
            }
            else
            {
                rows.Add(row);
            }
        }

        if (sentinel is null)
        {
            return null;
        }

        var state = DurableJson.DeserializeRecord<InstanceState>((await ReadSpilledAsync(sentinel.GetString("State"), sentinel.GetString("StateBlob"), cancellationToken))!);
        var count = sentinel.GetInt32("EventCount") ?? 0;
        var events = new HistoryEvent?[count];
        foreach (var row in rows)
        {
            // Rows of other executions, or written by a batch whose sentinel update lost the race, are ignored.
            if (row.GetString("ExecutionId") != state.ExecutionId)
            {
                continue;
            }

            var sequence = row.GetInt32("Sequence") ?? -1;
            if (sequence < 0 || sequence >= count)
            {
                continue;
            }

            var json = await ReadSpilledAsync(row.GetString("Event"), row.GetString("EventBlob"), cancellationToken);
            events[sequence] = DurableJson.DeserializeRecord<HistoryEvent>(json!);
        }

        if (events.Any(e => e is null))
        {
            throw new InvalidOperationException($"The history of '{instanceId}' is incomplete.");
        }

        return new LoadedHistory(state, [.. events.Select(e => e!)], sentinel.ETag);
    }

    /// <summary>
    /// Appends events and replaces the sentinel in as few entity-group transactions as possible; the
    /// sentinel goes in the last one with its ETag, so a concurrent writer makes the commit fail as a
    /// whole (rows written by earlier batches are beyond the sentinel's count and ignored).
    /// </summary>
    /// <returns>The new sentinel ETag, or null when another writer changed the instance first.</returns>
    public async Task<ETag?> CommitHistoryAsync(InstanceState state, int firstSequence, IReadOnlyList<HistoryEvent> events, ETag? expected, CancellationToken cancellationToken)
    {
        var actions = new List<(TableTransactionAction Action, int Size)>();
        for (var i = 0; i < events.Count; i++)
        {
            var sequence = firstSequence + i;
            var (inline, blob) = await SpillAsync(state.InstanceId, DurableJson.SerializeRecord(events[i]), cancellationToken);
            var row = new TableEntity(state.InstanceId, $"{state.ExecutionId}_{sequence:D6}")
            {
                ["ExecutionId"] = state.ExecutionId,
                ["Sequence"] = sequence,
                ["EventType"] = events[i].Type.ToString(),
                ["Event"] = inline,
                ["EventBlob"] = blob,
            };
            actions.Add((new TableTransactionAction(TableTransactionActionType.UpsertReplace, row), inline?.Length ?? 100));
        }

        var (stateInline, stateBlob) = await SpillAsync(state.InstanceId, DurableJson.SerializeRecord(state), cancellationToken);
        var sentinel = new TableEntity(state.InstanceId, SentinelRowKey)
        {
            ["ExecutionId"] = state.ExecutionId,
            ["EventCount"] = firstSequence + events.Count,
            ["State"] = stateInline,
            ["StateBlob"] = stateBlob,
        };
        var sentinelAction = expected is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, sentinel, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, sentinel);

        var batches = new List<List<TableTransactionAction>> { new() };
        var size = 0;
        foreach (var (action, actionSize) in actions)
        {
            if (batches[^1].Count >= MaxBatchOperations - 1 || size + actionSize > MaxBatchChars)
            {
                batches.Add([]);
                size = 0;
            }

            batches[^1].Add(action);
            size += actionSize;
        }

        batches[^1].Add(sentinelAction);
        try
        {
            Response<IReadOnlyList<Response>>? last = null;
            foreach (var batch in batches)
            {
                last = await History.SubmitTransactionAsync(batch, cancellationToken);
            }

            return last!.Value[^1].Headers.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Copies the instance state to the instances table, where status queries and lists read it.</summary>
    public async Task UpsertInstanceAsync(InstanceState state, CancellationToken cancellationToken) =>
        await Instances.UpsertEntityAsync(await ToEntityAsync(state, cancellationToken), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Inserts the instance row; false when a row with that id exists already.</summary>
    public async Task<bool> TryAddInstanceAsync(InstanceState state, CancellationToken cancellationToken)
    {
        try
        {
            await Instances.AddEntityAsync(await ToEntityAsync(state, cancellationToken), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    private async Task<TableEntity> ToEntityAsync(InstanceState state, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(state.InstanceId, string.Empty)
        {
            ["Name"] = state.Name,
            ["RuntimeStatus"] = state.Status.ToString(),
            ["CreatedAt"] = state.CreatedAt,
            ["LastUpdatedAt"] = state.LastUpdatedAt,
            ["TenantId"] = state.TenantId,
            ["ExecutionId"] = state.ExecutionId,
            ["Failure"] = state.Failure is null ? null : SerializeFailure(state.Failure),
        };
        await SetSpilledAsync(entity, "Input", state.InstanceId, state.Input, cancellationToken);
        await SetSpilledAsync(entity, "Output", state.InstanceId, state.Output, cancellationToken);
        await SetSpilledAsync(entity, "CustomStatus", state.InstanceId, state.CustomStatus, cancellationToken);
        return entity;
    }

    public async Task<(TableEntity Entity, WorkflowInstance Instance)?> GetInstanceAsync(string instanceId, bool includePayloads, CancellationToken cancellationToken)
    {
        var response = await Instances.GetEntityIfExistsAsync<TableEntity>(instanceId, string.Empty, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        return (response.Value!, await ToInstanceAsync(response.Value!, includePayloads, cancellationToken));
    }

    public async Task<WorkflowInstance> ToInstanceAsync(TableEntity entity, bool includePayloads, CancellationToken cancellationToken)
    {
        var failure = entity.GetString("Failure");
        return new WorkflowInstance
        {
            InstanceId = entity.PartitionKey,
            Name = entity.GetString("Name") ?? string.Empty,
            RuntimeStatus = Enum.Parse<WorkflowRuntimeStatus>(entity.GetString("RuntimeStatus") ?? nameof(WorkflowRuntimeStatus.Pending)),
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch,
            LastUpdatedAt = entity.GetDateTimeOffset("LastUpdatedAt") ?? DateTimeOffset.UnixEpoch,
            TenantId = entity.GetString("TenantId"),
            SerializedInput = includePayloads ? await ReadSpilledAsync(entity.GetString("Input"), entity.GetString("InputBlob"), cancellationToken) : null,
            SerializedOutput = includePayloads ? await ReadSpilledAsync(entity.GetString("Output"), entity.GetString("OutputBlob"), cancellationToken) : null,
            SerializedCustomStatus = await ReadSpilledAsync(entity.GetString("CustomStatus"), entity.GetString("CustomStatusBlob"), cancellationToken),
            FailureDetails = failure is null ? null : DurableJson.DeserializeRecord<WorkflowFailureDetails>(failure),
        };
    }

    /// <summary>Deletes an instance's history, state row and spilled payloads.</summary>
    public async Task PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        var rows = new List<TableTransactionAction>();
        await foreach (var row in History.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
        }

        foreach (var chunk in rows.Chunk(MaxBatchOperations))
        {
            await History.SubmitTransactionAsync(chunk, cancellationToken);
        }

        await foreach (var blob in Payloads.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, instanceId + "/", cancellationToken))
        {
            await Payloads.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }

        await Instances.DeleteEntityAsync(instanceId, string.Empty, ETag.All, cancellationToken);
    }

    /// <summary>Removes the rows of executions other than the current one (after continue-as-new or a restart).</summary>
    public async Task DeleteOtherExecutionsAsync(string instanceId, string executionId, CancellationToken cancellationToken)
    {
        var rows = new List<TableTransactionAction>();
        await foreach (var row in History.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), select: ["PartitionKey", "RowKey", "ExecutionId"], cancellationToken: cancellationToken))
        {
            if (row.RowKey != SentinelRowKey && row.GetString("ExecutionId") != executionId)
            {
                rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            }
        }

        foreach (var chunk in rows.Chunk(MaxBatchOperations))
        {
            await History.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    private async Task SetSpilledAsync(TableEntity entity, string property, string instanceId, string? value, CancellationToken cancellationToken)
    {
        var (inline, blob) = await SpillAsync(instanceId, value, cancellationToken);
        entity[property] = inline;
        entity[property + "Blob"] = blob;
    }

    /// <summary>Failure details stay inline (they are filtered and shown in lists); a huge stack trace is dropped rather than spilled.</summary>
    private static string SerializeFailure(WorkflowFailureDetails failure)
    {
        var json = DurableJson.SerializeRecord(failure);
        if (json.Length <= MaxInlineChars)
        {
            return json;
        }

        var message = failure.ErrorMessage.Length > MaxInlineChars / 2 ? failure.ErrorMessage[..(MaxInlineChars / 2)] : failure.ErrorMessage;
        return DurableJson.SerializeRecord(new WorkflowFailureDetails(failure.ErrorType, message));
    }

    private async Task CreateAsync()
    {
        await Task.WhenAll(
            Instances.CreateIfNotExistsAsync(),
            History.CreateIfNotExistsAsync(),
            Timers.CreateIfNotExistsAsync(),
            WorkItems.CreateIfNotExistsAsync(),
            Payloads.CreateIfNotExistsAsync(),
            Leases.CreateIfNotExistsAsync());
        await Task.WhenAll(_controlQueues.Select(q => q.CreateIfNotExistsAsync()));
    }
}

/// <summary>An instance's committed state and current execution's history, with the sentinel's ETag.</summary>
internal sealed record LoadedHistory(InstanceState State, List<HistoryEvent> Events, ETag ETag);
