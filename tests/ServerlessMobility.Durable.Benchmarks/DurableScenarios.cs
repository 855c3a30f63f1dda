using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.LocalHost.Durable;

namespace ServerlessMobility.Durable.Benchmarks;

/// <summary>What one scenario cost: wall time, the storage requests sent in that window, and the CPU each process used.</summary>
internal sealed record Window(TimeSpan Elapsed, StorageRequestCounter.Snapshot Requests, IReadOnlyDictionary<string, TimeSpan> Cpu, string LoadBefore);

internal sealed record BurstResult(int Count, TimeSpan Starting, TimeSpan ToLastCompletion, IReadOnlyList<double> CompletionSeconds, Window Window)
{
    public double OrchestrationsPerSecond => Count / ToLastCompletion.TotalSeconds;
}

internal sealed record FanOutResult(int Activities, IReadOnlyList<TimeSpan> Durations, Window Window);

internal sealed record IdleResult(IReadOnlyList<double> StepMilliseconds, IReadOnlyList<double> OrchestrationMilliseconds, Window Window);

/// <summary>
/// The three durable workloads, on the diagnostic orchestrations the local host registers with
/// Durable:RegisterSampleWorkflows (a sequence of Echo activities; a fan-out/fan-in of Echo activities).
/// Completion times are the framework's own (the instance's last update, written when it completed), so
/// the benchmark's polling interval does not blur them.
/// </summary>
internal sealed class DurableScenarios(DurableTaskClient client, StorageRequestCounter requests, CpuMeter cpu)
{
    private static readonly OrchestrationRuntimeStatus[] Terminal =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    // On a two-core machine shared with other builds the first of 500 orchestrations has been seen to need over two minutes.
    private static readonly TimeSpan StallTimeout = TimeSpan.FromMinutes(10);

    public async Task<BurstResult> BurstAsync(string prefix, int count, int steps, int startConcurrency)
    {
        var input = new SequenceInput(steps, 0, false);
        var issued = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var window = Begin();
        var first = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = startConcurrency }, async (i, cancellation) =>
        {
            var id = $"{prefix}{i:D5}";
            issued[id] = DateTimeOffset.UtcNow;
            await client.ScheduleNewOrchestrationInstanceAsync(DiagnosticWorkflows.Sequence, input, new StartOrchestrationOptions(id), cancellation);
        });
        var starting = clock.Elapsed;
        var done = await WaitForAllAsync(prefix, count);
        var end = window.End();
        var last = done.Values.Max(m => m.LastUpdatedAt);
        var latencies = done.Values.Select(m => (m.LastUpdatedAt - issued[m.InstanceId]).TotalSeconds).Order().ToList();
        return new BurstResult(count, starting, last - first, latencies, end);
    }

    public async Task<FanOutResult> FanOutAsync(string prefix, int activities, int runs)
    {
        var durations = new List<TimeSpan>();
        var window = Begin();
        for (var run = 0; run < runs; run++)
        {
            var id = $"{prefix}{run:D3}";
            var issued = DateTimeOffset.UtcNow;
            await client.ScheduleNewOrchestrationInstanceAsync(DiagnosticWorkflows.FanOut, activities, new StartOrchestrationOptions(id));
            var done = await WaitForOneAsync(id, TimeSpan.FromMilliseconds(100));
            if (done.ReadOutputAs<int>() != activities)
            {
                throw new InvalidOperationException($"{id} returned {done.SerializedOutput}, not {activities}.");
            }

            durations.Add(done.LastUpdatedAt - issued);
        }

        return new FanOutResult(activities, durations, window.End());
    }

    /// <summary>
    /// One orchestration at a time on an otherwise idle hub. A step is the time between two consecutive activity
    /// results in the history (TaskCompleted timestamps, taken by the worker when the activity returned): the result
    /// travels to the control queue, an episode replays and schedules the next activity, the activity message
    /// travels through the work-item queue and the activity runs. The first step is measured from the start
    /// (ExecutionStarted, taken by the client).
    /// </summary>
    public async Task<IdleResult> IdleAsync(string prefix, int runs, int steps, TimeSpan gap)
    {
        var input = new SequenceInput(steps, 0, false);
        var stepMilliseconds = new List<double>();
        var orchestrationMilliseconds = new List<double>();
        var window = Begin();
        for (var run = 0; run < runs; run++)
        {
            // Let the hub's queue pollers back off as they do when nothing happens.
            await Task.Delay(gap);
            var id = $"{prefix}{run:D3}";
            await client.ScheduleNewOrchestrationInstanceAsync(DiagnosticWorkflows.Sequence, input, new StartOrchestrationOptions(id));
            await WaitForOneAsync(id, TimeSpan.FromMilliseconds(100));
            var history = await StorageRequestCounter.AsHarnessAsync(() => client.GetOrchestrationHistoryAsync(id));
            var marks = history.Where(e => e is DurableTask.Core.History.ExecutionStartedEvent or DurableTask.Core.History.TaskCompletedEvent)
                .Select(e => e.Timestamp).Order().ToList();
            if (marks.Count != steps + 1)
            {
                throw new InvalidOperationException($"{id}: expected a start and {steps} activity results in its history, found {marks.Count} marks.");
            }

            stepMilliseconds.AddRange(marks.Zip(marks.Skip(1), (a, b) => (b - a).TotalMilliseconds));
            var completed = history.OfType<DurableTask.Core.History.ExecutionCompletedEvent>().Single().Timestamp;
            orchestrationMilliseconds.Add((completed - marks[0]).TotalMilliseconds);
        }

        // The pauses between runs are not part of the work: the window keeps only their CPU and requests.
        return new IdleResult(stepMilliseconds, orchestrationMilliseconds, window.End());
    }

    private WindowStart Begin() => new(requests, cpu, requests.Read(), cpu.Read(), LoadAverage.Read(), Stopwatch.StartNew());

    private async Task<OrchestrationMetadata> WaitForOneAsync(string id, TimeSpan poll)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var instance = await StorageRequestCounter.AsHarnessAsync(() => client.GetInstancesAsync(id, getInputsAndOutputs: true));
            if (instance is not null && Terminal.Contains(instance.RuntimeStatus))
            {
                return instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                    ? instance
                    : throw new InvalidOperationException($"{id} ended {instance.RuntimeStatus}: {instance.FailureDetails?.ErrorMessage}");
            }

            if (clock.Elapsed > StallTimeout)
            {
                throw new TimeoutException($"{id} did not complete within {StallTimeout} (status {instance?.RuntimeStatus}).");
            }

            await Task.Delay(poll);
        }
    }

    /// <summary>One range query over the instances table every half second (not a status read per instance).</summary>
    private async Task<IReadOnlyDictionary<string, OrchestrationMetadata>> WaitForAllAsync(string prefix, int count)
    {
        var progress = Stopwatch.StartNew();
        var lastCount = 0;
        while (true)
        {
            var done = await StorageRequestCounter.AsHarnessAsync(async () =>
            {
                var found = new Dictionary<string, OrchestrationMetadata>(StringComparer.Ordinal);
                await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = Terminal, PageSize = 1000 }))
                {
                    found[instance.InstanceId] = instance;
                }

                return found;
            });
            if (done.Values.FirstOrDefault(m => m.RuntimeStatus != OrchestrationRuntimeStatus.Completed) is { } failed)
            {
                throw new InvalidOperationException($"{failed.InstanceId} ended {failed.RuntimeStatus}: {failed.FailureDetails?.ErrorMessage}");
            }

            if (done.Count >= count)
            {
                return done;
            }

            if (done.Count > lastCount)
            {
                lastCount = done.Count;
                progress.Restart();
            }
            else if (progress.Elapsed > StallTimeout)
            {
                throw new TimeoutException($"Only {done.Count} of {count} orchestrations completed; none more in {StallTimeout}.");
            }

            await Task.Delay(500);
        }
    }

    private sealed record WindowStart(
        StorageRequestCounter Counter, CpuMeter Meter, StorageRequestCounter.Snapshot Requests, IReadOnlyDictionary<string, TimeSpan> Cpu, string Load, Stopwatch Clock)
    {
        public Window End() => new(Clock.Elapsed, Counter.Read().Minus(Requests), CpuMeter.Difference(Meter.Read(), Cpu), Load);
    }
}

internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg).</summary>
    public static string Read() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
