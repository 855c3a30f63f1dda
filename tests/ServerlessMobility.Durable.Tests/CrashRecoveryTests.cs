using System.Globalization;
using Azure.Data.Tables;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.LocalHost.Durable;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// The local host as separate processes on one task hub: killed with SIGKILL mid-flight and restarted, or two
/// of them with one killed. Short leases and visibility timeouts let the framework recover within seconds.
/// </summary>
public class CrashRecoveryTests(PlatformEmulators emulators, ITestOutputHelper output)
{
    private const int Steps = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The hosts' settings: the diagnostic workflows, two partitions (as the in-process client uses), and leases
    /// and message locks that a dead host loses after seconds instead of the developer defaults' half minute.
    /// The control queue's lock stays well above the time a fetched message can wait in a busy host's buffer:
    /// at 5 s, messages reappeared while still buffered and the backend kept failing their instances on
    /// duplicate deliveries and stale pop receipts.
    /// </summary>
    private Dictionary<string, string?> HostSettings(string prefix)
    {
        var settings = DurableTestHost.DefaultSettings(emulators, prefix);
        settings["Auth:DevSigningKey"] = LocalHostFactory.DevSigningKey;
        settings["Mqtt:Enabled"] = "false";
        settings["Durable:RegisterSampleWorkflows"] = "true";
        settings["Durable:ControlQueueVisibilityTimeout"] = "00:00:15";
        settings["Durable:WorkItemQueueVisibilityTimeout"] = "00:00:10";
        settings["Durable:LeaseInterval"] = "00:00:06";
        settings["Durable:LeaseAcquireInterval"] = "00:00:01";
        settings["Durable:StopTimeout"] = "00:00:02";
        return settings;
    }

    /// <summary>A client on the hosts' task hub that runs nothing itself, so it survives the kills.</summary>
    private Task<DurableTestHost> ClientAsync(string prefix) =>
        DurableTestHost.StartAsync(emulators, _ => { }, new Dictionary<string, string?> { ["Durable:EnableWorker"] = "false" }, prefix);

    [Fact(Timeout = 240_000)]
    public async Task LocalHost_KilledMidFlightAndRestarted_EveryInstanceCompletesWithEachStepUsedOnce()
    {
        var prefix = PlatformEmulators.UniquePrefix();
        var settings = HostSettings(prefix);
        await using var client = await ClientAsync(prefix);
        await using var first = await LocalHostProcess.StartAsync(settings);
        var ids = await StartSequencesAsync(client.Client, "crash", count: 30, timerSeconds: 2);

        // Mid-flight: a good part of the activities ran, while the instances are still on their first steps or timers.
        await Eventually.UntilAsync(async () => (await SideEffectsAsync(prefix)).Count >= 45, "the first host to run activities", RecoveryTimeout);
        await first.KillAsync();
        var doneBeforeKill = await CountCompletedAsync(client.Client, ids);
        var rowsBeforeKill = (await SideEffectsAsync(prefix)).Count;
        await using var second = await LocalHostProcess.StartAsync(settings);

        await AssertEveryInstanceCompletedWithEachStepOnceAsync(client.Client, prefix, ids, () => $"first host:\n{first.Process.Output}\nsecond host:\n{second.Process.Output}");
        output.WriteLine($"Killed the host after {rowsBeforeKill} of {ids.Count * Steps} activity executions, with {doneBeforeKill} instances done.");
        Assert.True(doneBeforeKill < ids.Count, "Every instance had finished before the kill: the test proved nothing.");
    }

    [Fact(Timeout = 240_000)]
    public async Task TwoHosts_OneKilled_SurvivorTakesOverItsPartitionsAndFinishesEveryInstance()
    {
        var prefix = PlatformEmulators.UniquePrefix();
        var settings = HostSettings(prefix);
        await using var client = await ClientAsync(prefix);
        var hosts = await Task.WhenAll(LocalHostProcess.StartAsync(settings), LocalHostProcess.StartAsync(settings));
        await using var doomed = hosts[0];
        await using var survivor = hosts[1];
        var partitions = new TableServiceClient(emulators.StorageConnectionString).GetTableClient(client.TaskHubName + "Partitions");

        // Whichever host comes up first takes both partitions; the framework then hands one to the other.
        var shared = await Eventually.UntilAsync(() => OwnersAsync(partitions),
            owners => owners.Count(o => IsOwnedBy(o, doomed)) == 1 && owners.Count(o => IsOwnedBy(o, survivor)) == 1,
            "the two hosts to hold one partition each", RecoveryTimeout);
        var ids = await StartSequencesAsync(client.Client, "two", count: 24, timerSeconds: 1);
        await Eventually.UntilAsync(async () => (await SideEffectsAsync(prefix)).Count >= 30, "the hosts to run activities", RecoveryTimeout);
        await doomed.KillAsync();
        var doneBeforeKill = await CountCompletedAsync(client.Client, ids);

        await AssertEveryInstanceCompletedWithEachStepOnceAsync(client.Client, prefix, ids, () => survivor.Process.Output);
        var after = await Eventually.UntilAsync(() => OwnersAsync(partitions), owners => owners.All(o => IsOwnedBy(o, survivor)),
            "the survivor to hold every partition", RecoveryTimeout);

        output.WriteLine($"Owners before: {string.Join(", ", shared)}; after: {string.Join(", ", after)}; {doneBeforeKill} of {ids.Count} done at the kill.");
        Assert.True(doneBeforeKill < ids.Count, "Every instance had finished before the kill: the test proved nothing.");
    }

    private static async Task<List<string>> StartSequencesAsync(DurableTaskClient client, string name, int count, int timerSeconds)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync(DiagnosticWorkflows.Sequence, new SequenceInput(Steps, timerSeconds, RecordSideEffects: true),
                new StartOrchestrationOptions($"{name}-{run}-{i:D2}"), Ct));
        }

        return ids;
    }

    /// <summary>
    /// Every instance completed, and its output names each step once, in order: whatever ran twice around the
    /// crash, the orchestration used one result per step. The side effects show each step ran at least once.
    /// </summary>
    private async Task AssertEveryInstanceCompletedWithEachStepOnceAsync(DurableTaskClient client, string prefix, List<string> ids, Func<string> hostOutput)
    {
        foreach (var id in ids)
        {
            OrchestrationMetadata instance;
            try
            {
                instance = await client.WaitForFinishAsync(id, RecoveryTimeout);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message}\n{hostOutput()}", ex);
            }

            Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instance.Describe()}\n{hostOutput()}");
            Assert.Equal(Enumerable.Range(0, Steps).Select(step => $"{id}/{step}"), instance.ReadOutputAs<List<string>>());

            // Replays after the crash did not schedule any step again; a step that ran twice completes twice in
            // the history, and the orchestration took the first completion.
            var history = await client.GetOrchestrationHistoryAsync(id, Ct);
            var scheduled = history.OfType<TaskScheduledEvent>().Select(e => e.EventId).ToList();
            Assert.Equal(Steps, scheduled.Count);
            Assert.Equal(scheduled, history.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId).Distinct().Order());
        }

        var rows = await SideEffectsAsync(prefix);
        foreach (var id in ids)
        {
            Assert.All(Enumerable.Range(0, Steps), step => Assert.Contains(rows, r => r.PartitionKey == id && r.GetInt32("Step") == step));
        }

        Assert.All(rows, r => Assert.Contains(r.PartitionKey, ids));
        output.WriteLine($"{ids.Count} instances, {rows.Count} activity executions for {ids.Count * Steps} calls ({rows.Count - (ids.Count * Steps)} ran again after the crash).");
    }

    private static async Task<int> CountCompletedAsync(DurableTaskClient client, List<string> ids)
    {
        var done = 0;
        foreach (var id in ids)
        {
            if ((await client.GetInstanceAsync(id, Ct))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
            {
                done++;
            }
        }

        return done;
    }

    private async Task<List<TableEntity>> SideEffectsAsync(string prefix)
    {
        var table = new TableServiceClient(emulators.StorageConnectionString).GetTableClient(prefix + DiagnosticWorkflows.SideEffectsTable);
        await table.CreateIfNotExistsAsync(Ct);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Who holds each partition: its current owner, or "none" while it is free or being handed over.</summary>
    private static async Task<List<string>> OwnersAsync(TableClient partitions)
    {
        var owners = new List<string>();
        await foreach (var lease in partitions.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            owners.Add(lease.GetString("CurrentOwner") is { } owner && lease.GetString("NextOwner") is null ? owner : "none");
        }

        return owners;
    }

    /// <summary>The framework's worker id for a local host names its process id (see LocalTaskHub).</summary>
    private static bool IsOwnedBy(string owner, LocalHostProcess host) =>
        owner.Contains($"-{host.Process.Id.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal);
}
