using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;
using ServerlessMobility.Durable.Storage;

namespace ServerlessMobility.Durable.Dispatch;

/// <summary>
/// The engine's background work in one host: partition leases, and for each owned partition a
/// control-queue dispatcher and a timer poller; plus the activity dispatcher, which is not partitioned
/// (any host runs any activity).
/// </summary>
internal sealed partial class DurableEngineService : BackgroundService
{
    private readonly DurableStore _store;
    private readonly OrchestrationProcessor _processor;
    private readonly IServiceScopeFactory _scopes;
    private readonly WorkflowRegistry _registry;
    private readonly TimeProvider _timeProvider;
    private readonly DurableEngineOptions _options;
    private readonly ILogger<DurableEngineService> _logger;
    /// <summary>
    /// Releasing a lease or removing the heartbeat only lets another host take over at once: both expire by
    /// themselves. So an unreachable store gets this long, not the SDK's full retries, and shutdown stays prompt.
    /// </summary>
    private static readonly TimeSpan CourtesyTimeout = TimeSpan.FromSeconds(3);
    private readonly string _leaseId = Guid.NewGuid().ToString();
    private readonly ConcurrentDictionary<int, PartitionRun> _owned = new();
    private readonly AsyncSignal[] _controlSignals;
    private readonly AsyncSignal _workItemSignal = new();

    public DurableEngineService(DurableStore store, OrchestrationProcessor processor, IServiceScopeFactory scopes, WorkflowRegistry registry,
        TimeProvider timeProvider, IOptions<DurableEngineOptions> options, ILogger<DurableEngineService> logger)
    {
        _store = store;
        _processor = processor;
        _scopes = scopes;
        _registry = registry;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = logger;
        _controlSignals = [.. Enumerable.Range(0, store.PartitionCount).Select(_ => new AsyncSignal())];
        store.ControlMessageSent += p => _controlSignals[p].Set();
        store.WorkItemSent += _workItemSignal.Set;
    }

    /// <summary>The partitions this host holds a lease on (for tests and diagnostics).</summary>
    public IReadOnlyCollection<int> OwnedPartitions => [.. _owned.Keys.Order()];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.EnableDispatchers)
        {
            return;
        }

        await RetryUntilAsync(_store.EnsureCreatedAsync, stoppingToken);
        var activities = Task.Run(() => RunActivitiesAsync(stoppingToken), stoppingToken);
        try
        {
            await RunLeasesAsync(stoppingToken);
        }
        finally
        {
            // All at once: this host is leaving, so its heartbeat can go while its partitions wind down.
            await Task.WhenAll([
                .. _owned.Keys.ToList().Select(partition => StopPartitionAsync(partition, release: true, CancellationToken.None)),
                activities.ContinueWith(_ => { }, TaskScheduler.Default),
                DeleteHeartbeatAsync()]);
        }
    }

    // ---- leases ---------------------------------------------------------------------------------

    /// <summary>
    /// Every round: write this host's heartbeat, renew owned leases, then move towards a fair share
    /// (partitions / live hosts, rounded up): release one partition when above it, take one free
    /// partition when below. A dead host's leases expire after LeaseDuration and are taken by the others.
    /// </summary>
    private async Task RunLeasesAsync(CancellationToken stoppingToken)
    {
        var blobs = Enumerable.Range(0, _store.PartitionCount).Select(p => _store.Leases.GetBlobClient($"partition-{p:D2}")).ToArray();
        foreach (var blob in blobs)
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString(string.Empty), overwrite: false, stoppingToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Exists already (possibly leased by another host).
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = false;
            try
            {
                var hosts = await HeartbeatAsync(stoppingToken);
                var fairShare = (int)Math.Ceiling(_store.PartitionCount / (double)Math.Max(1, hosts));
                foreach (var partition in _owned.Keys.ToList())
                {
                    try
                    {
                        await blobs[partition].GetBlobLeaseClient(_leaseId).RenewAsync(cancellationToken: stoppingToken);
                    }
                    catch (RequestFailedException ex)
                    {
                        LogLeaseLost(_logger, partition, ex.Status);
                        await StopPartitionAsync(partition, release: false, CancellationToken.None);
                    }
                }

                if (_owned.Count > fairShare)
                {
                    await StopPartitionAsync(_owned.Keys.Max(), release: true, stoppingToken);
                    changed = true;
                }
                else if (_owned.Count < fairShare)
                {
                    foreach (var partition in Enumerable.Range(0, _store.PartitionCount).Where(p => !_owned.ContainsKey(p)).OrderBy(_ => Random.Shared.Next()))
                    {
                        if (await TryAcquireAsync(blobs[partition], partition, stoppingToken))
                        {
                            changed = true;
                            break;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a storage hiccup must not stop lease management
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopFailed(_logger, ex, "lease", -1);
            }

            // After a change, look again soon (a lone host takes all partitions in about a second).
            var pause = changed ? TimeSpan.FromMilliseconds(Random.Shared.Next(100, 300)) : _options.LeaseRenewInterval;
            await Task.Delay(pause, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<bool> TryAcquireAsync(Azure.Storage.Blobs.BlobClient blob, int partition, CancellationToken stoppingToken)
    {
        try
        {
            await blob.GetBlobLeaseClient(_leaseId).AcquireAsync(_options.LeaseDuration, cancellationToken: stoppingToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false; // another host holds it
        }

        // Who holds the partition, for operators and the hand-over tests (the lease itself does not say).
        await blob.SetMetadataAsync(
            new Dictionary<string, string> { ["owner"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new Azure.Storage.Blobs.Models.BlobRequestConditions { LeaseId = _leaseId },
            stoppingToken);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _processor.Invalidate(partition);
        var control = Task.Run(() => RunControlQueueAsync(partition, cancellation.Token), CancellationToken.None);
        var timers = Task.Run(() => RunTimersAsync(partition, cancellation.Token), CancellationToken.None);
        _owned[partition] = new PartitionRun(cancellation, Task.WhenAll(control, timers));
        LogLeaseAcquired(_logger, partition);
        return true;
    }

    /// <summary>Stops the partition's loops after their current batch (so no message is left invisible), then releases the lease.</summary>
    private async Task StopPartitionAsync(int partition, bool release, CancellationToken releaseCancellation)
    {
        if (!_owned.TryRemove(partition, out var run))
        {
            return;
        }

        await run.Cancellation.CancelAsync();
        await run.Loops.ContinueWith(_ => { }, TaskScheduler.Default);
        run.Cancellation.Dispose();
        if (release)
        {
            // Expired or taken already, or the store did not answer in time: the lease expires by itself.
            await CourtesyAsync(token => _store.Leases.GetBlobClient($"partition-{partition:D2}").GetBlobLeaseClient(_leaseId).ReleaseAsync(cancellationToken: token), releaseCancellation);
        }
    }

    /// <summary>Writes this host's heartbeat blob and counts hosts whose heartbeat is younger than a lease.</summary>
    private async Task<int> HeartbeatAsync(CancellationToken cancellationToken)
    {
        await _store.Leases.GetBlobClient($"hosts/{_leaseId}").UploadAsync(BinaryData.FromString(string.Empty), overwrite: true, cancellationToken);
        var live = 0;
        await foreach (var blob in _store.Leases.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "hosts/", cancellationToken))
        {
            // Real time on purpose: compared with the storage service's own clock, never with workflow time.
            if (blob.Properties.LastModified is { } modified && DateTimeOffset.UtcNow - modified < _options.LeaseDuration)
            {
                live++;
            }
        }

        return live;
    }

    /// <summary>When the heartbeat cannot be removed, it goes stale by itself.</summary>
    private Task DeleteHeartbeatAsync() =>
        CourtesyAsync(token => _store.Leases.DeleteBlobIfExistsAsync($"hosts/{_leaseId}", cancellationToken: token), CancellationToken.None);

    /// <summary>A storage call that only speeds up a hand-over: bounded by <see cref="CourtesyTimeout"/>, and a failure is no error.</summary>
    private static async Task CourtesyAsync(Func<CancellationToken, Task> call, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(CourtesyTimeout);
        try
        {
            await call(timeout.Token);
        }
        catch (Exception ex) when (ex is RequestFailedException || (ex is OperationCanceledException && timeout.IsCancellationRequested))
        {
            // Nothing to do: what the call would have cleaned up expires on its own.
        }
    }

    private sealed record PartitionRun(CancellationTokenSource Cancellation, Task Loops);

    // ---- orchestration messages ------------------------------------------------------------------

    private async Task RunControlQueueAsync(int partition, CancellationToken cancellationToken)
    {
        var queue = new QueueClientRef(_store.ControlQueue(partition), TimeSpan.FromSeconds(1));
        var idle = TimeSpan.FromMilliseconds(10);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = (await queue.Queue.ReceiveMessagesAsync(32, _options.ControlMessageVisibility, cancellationToken)).Value;
                if (received.Length == 0)
                {
                    await _controlSignals[partition].WaitAsync(idle, cancellationToken);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollInterval.Ticks));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(10);
                var decoded = new List<(QueueMessage Raw, ControlMessage Message)>(received.Length);
                foreach (var raw in received)
                {
                    decoded.Add((raw, await _store.DecodeAsync<ControlMessage>(raw, CancellationToken.None)));
                }

                // A started batch is finished even when the partition is being handed over, so none of
                // its messages stays invisible for the rest of its visibility timeout.
                await Task.WhenAll(decoded.GroupBy(m => m.Message.InstanceId, StringComparer.Ordinal)
                    .Select(group => ProcessInstanceAsync(queue, group.Key, [.. group], CancellationToken.None)));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a storage hiccup must not stop the partition; the messages reappear
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopFailed(_logger, ex, "control", partition);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private async Task ProcessInstanceAsync(QueueClientRef queue, string instanceId, List<(QueueMessage Raw, ControlMessage Message)> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _processor.ProcessAsync(queue, instanceId, batch, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // one instance's failure must not hold back the others; its messages reappear
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _processor.Invalidate(_store.PartitionOf(instanceId));
            LogInstanceFailed(_logger, ex, instanceId);
        }
    }

    // ---- timers -----------------------------------------------------------------------------------

    /// <summary>
    /// Timers are rows keyed by due time; this poller compares them with the injected TimeProvider, so
    /// a FakeTimeProvider moved 30 days ahead fires a 30-day timer on the next poll. A due timer becomes
    /// a TimerFired message on the control queue, then its row is deleted (a crash in between fires it
    /// twice; the second is dropped as a duplicate completion).
    /// </summary>
    private async Task RunTimersAsync(int partition, CancellationToken cancellationToken)
    {
        var key = DurableStore.TimerPartitionKey(partition);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var now = _timeProvider.GetUtcNow();
                var due = TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey lt {now.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "~"}");
                await foreach (var row in _store.Timers.QueryAsync<TableEntity>(due, cancellationToken: cancellationToken))
                {
                    var json = await _store.ReadSpilledAsync(row.GetString("Message"), row.GetString("MessageBlob"), cancellationToken);
                    await _store.SendControlAsync(DurableJson.DeserializeRecord<ControlMessage>(json!), cancellationToken);
                    await _store.Timers.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                }

                await Task.Delay(_options.TimerPollInterval, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // keep polling after a storage hiccup
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopFailed(_logger, ex, "timer", partition);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    // ---- activities -------------------------------------------------------------------------------

    private async Task RunActivitiesAsync(CancellationToken stoppingToken)
    {
        var queue = new QueueClientRef(_store.WorkItems, TimeSpan.FromSeconds(1));
        using var slots = new SemaphoreSlim(_options.MaxConcurrentActivities);
        var idle = TimeSpan.FromMilliseconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                var free = slots.CurrentCount + 1;
                slots.Release();
                var received = (await queue.Queue.ReceiveMessagesAsync(Math.Min(32, free), _options.ActivityVisibility, stoppingToken)).Value;
                if (received.Length == 0)
                {
                    await _workItemSignal.WaitAsync(idle, stoppingToken);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollInterval.Ticks));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(10);
                foreach (var raw in received)
                {
                    await slots.WaitAsync(stoppingToken);
                    _ = RunActivityAsync(queue, raw, slots, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // keep dispatching after a storage hiccup
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopFailed(_logger, ex, "activity", -1);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private async Task RunActivityAsync(QueueClientRef queue, QueueMessage raw, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            var item = await _store.DecodeAsync<ActivityWorkItem>(raw, stoppingToken);
            var now = _timeProvider.GetUtcNow();
            HistoryEvent outcome;
            try
            {
                var result = await InvokeActivityAsync(item, stoppingToken);
                outcome = new HistoryEvent(HistoryEventType.TaskCompleted, now) { TaskId = item.TaskId, Payload = result };
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // the host stops: the work item reappears for another attempt
            }
#pragma warning disable CA1031 // an activity's exception is its result: recorded with type and message
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcome = new HistoryEvent(HistoryEventType.TaskFailed, now) { TaskId = item.TaskId, Name = item.Name, Failure = WorkflowFailureDetails.FromException(ex) };
            }

            await _store.SendControlAsync(new ControlMessage(item.InstanceId, item.ExecutionId, outcome with { Timestamp = _timeProvider.GetUtcNow() }, Guid.NewGuid().ToString("N")), stoppingToken);
            await queue.DeleteAsync(raw, stoppingToken);
        }
#pragma warning disable CA1031 // the work item reappears after its visibility timeout
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLoopFailed(_logger, ex, "activity item", -1);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<string?> InvokeActivityAsync(ActivityWorkItem item, CancellationToken cancellationToken)
    {
        if (!_registry.Activities.TryGetValue(item.Name, out var type))
        {
            throw new InvalidOperationException($"No activity is registered with the name '{item.Name}'.");
        }

        await using var scope = _scopes.CreateAsyncScope();
        var activity = (IWorkflowActivity)scope.ServiceProvider.GetRequiredService(type);
        var input = DurableJson.Deserialize(item.Input, activity.InputType);
        var output = await activity.RunAsync(new ActivityContext(item.Name, item.InstanceId, item.TaskId), input, cancellationToken);
        return DurableJson.Serialize(output, activity.OutputType == typeof(Unit) ? null : activity.OutputType);
    }

    private static async Task RetryUntilAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (RequestFailedException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Acquired the lease of partition {Partition}.")]
    private static partial void LogLeaseAcquired(ILogger logger, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of partition {Partition} (status {Status}).")]
    private static partial void LogLeaseLost(ILogger logger, int partition, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Loop} loop of partition {Partition} failed; retrying.")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string loop, int partition);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing instance {InstanceId} failed; its messages will be retried.")]
    private static partial void LogInstanceFailed(ILogger logger, Exception exception, string instanceId);
}
