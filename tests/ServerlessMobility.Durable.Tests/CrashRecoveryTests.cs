using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.Diagnostics;
using ServerlessMobility.Durable.History;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// The local host as separate processes: killed with SIGKILL mid-flight and restarted, or two hosts
/// sharing one task hub with one of them killed. Short lease and visibility timings keep these under a few minutes.
/// </summary>
public class CrashRecoveryTests(PlatformEmulators emulators, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> HostSettings(string prefix)
    {
        var settings = emulators.Settings(prefix);
        settings["Auth:DevSigningKey"] = LocalHostFactory.DevSigningKey;
        settings["Durable:RegisterSampleWorkflows"] = "true";
        settings["Mqtt:Enabled"] = "false";
        settings["Durable:LeaseDuration"] = "00:00:15";
        settings["Durable:LeaseRenewInterval"] = "00:00:02";
        settings["Durable:ControlMessageVisibility"] = "00:00:10";
        settings["Durable:ActivityVisibility"] = "00:00:10";
        settings["Durable:MaxPollInterval"] = "00:00:00.200";
        return settings;
    }

    private Task<DurableTestHost> ClientAsync(string prefix) => DurableTestHost.StartAsync(
        emulators,
        services => services.AddDiagnosticWorkflows(),
        settings: new Dictionary<string, string?> { ["Durable:EnableDispatchers"] = "false" },
        prefix: prefix);

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

    private async Task WaitForSideEffectsAsync(string prefix, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await SideEffectsAsync(prefix)).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} side effects after 120 s.");
            await Task.Delay(200, Ct);
        }
    }

    private async Task AssertAllCompletedExactlyOnceAsync(DurableTestHost client, string prefix, List<string> ids)
    {
        foreach (var id in ids)
        {
            var instance = await client.WaitAsync(id, timeout: TimeSpan.FromSeconds(180));
            Assert.Equal(WorkflowRuntimeStatus.Completed, instance.RuntimeStatus);
            // Each activity result is used exactly once: the output lists every step once, in order.
            Assert.Equal(Enumerable.Range(0, 5).Select(step => $"{id}/{step}"), DurableJson.Deserialize<List<string>>(instance.SerializedOutput));
            var completions = instance.History!.Where(e => e.EventType == "TaskCompleted").Select(e => e.ScheduledId).ToList();
            Assert.Equal(completions.Distinct().Count(), completions.Count);
        }

        var rows = await SideEffectsAsync(prefix);
        foreach (var id in ids)
        {
            // Each side effect observed at least once (a re-run after the crash may add a duplicate).
            Assert.All(Enumerable.Range(0, 5), step => Assert.Contains(rows, r => r.PartitionKey == id && r.GetInt32("Step") == step));
        }

        output.WriteLine($"{ids.Count} instances, {rows.Count} activity executions for {ids.Count * 5} calls ({rows.Count - (ids.Count * 5)} re-executions).");
    }

    [Fact(Timeout = 420_000)]
    public async Task LocalHost_KilledMidFlightAndRestarted_EveryInstanceCompletesWithResultsUsedOnce()
    {
        var prefix = PlatformEmulators.UniquePrefix();
        var settings = HostSettings(prefix);
        var first = await LocalHostProcess.StartAsync(settings);
        await using var client = await ClientAsync(prefix);
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await client.Client.ScheduleNewAsync(DiagnosticWorkflows.Sequence, new SequenceInput(5, 2, RecordSideEffects: true),
                new WorkflowStartOptions { InstanceId = $"crash-{i:D2}" }, Ct));
        }

        await WaitForSideEffectsAsync(prefix, 60);
        await first.KillAsync();
        var before = (await SideEffectsAsync(prefix)).Count;
        await first.DisposeAsync();
        output.WriteLine($"Killed the host after {before} side effects.");
        await using var second = await LocalHostProcess.StartAsync(settings);

        await AssertAllCompletedExactlyOnceAsync(client, prefix, ids);
        Assert.True(before < 250, "The host was killed after all work was done; the test proved nothing.");
    }

    [Fact(Timeout = 420_000)]
    public async Task TwoHosts_OneKilled_SurvivorTakesOverItsPartitionsAndAllComplete()
    {
        var prefix = PlatformEmulators.UniquePrefix();
        var settings = HostSettings(prefix);
        var hostA = await LocalHostProcess.StartAsync(settings);
        await using var hostB = await LocalHostProcess.StartAsync(settings);
        await using var client = await ClientAsync(prefix);
        var leases = new BlobServiceClient(emulators.StorageConnectionString).GetBlobContainerClient($"{prefix}-durable-leases");

        async Task<List<string>> OwnersAsync()
        {
            var owners = new List<string>();
            for (var p = 0; p < 4; p++)
            {
                var properties = await leases.GetBlobClient($"partition-{p:D2}").GetPropertiesAsync(cancellationToken: Ct);
                owners.Add(properties.Value.LeaseState == Azure.Storage.Blobs.Models.LeaseState.Leased && properties.Value.Metadata.TryGetValue("owner", out var owner) ? owner : "none");
            }

            return owners;
        }

        var a = hostA.Process.Id.ToString(CultureInfo.InvariantCulture);
        var b = hostB.Process.Id.ToString(CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        List<string> shared;
        // The first host takes every partition; once the second one's heartbeat appears it hands half over, one
        // lease at a time, so a snapshot in between may show 3 and 1: wait for the balanced split.
        while (!((shared = await OwnersAsync()).Count(owner => owner == a) == 2 && shared.Count(owner => owner == b) == 2))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The hosts did not share the partitions two and two within 90 s: {string.Join(",", shared)}.");
            await Task.Delay(200, Ct);
        }

        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await client.Client.ScheduleNewAsync(DiagnosticWorkflows.Sequence, new SequenceInput(5, 1, RecordSideEffects: true),
                new WorkflowStartOptions { InstanceId = $"two-{i:D2}" }, Ct));
        }

        await WaitForSideEffectsAsync(prefix, 40);
        await hostA.KillAsync();
        await hostA.DisposeAsync();
        await AssertAllCompletedExactlyOnceAsync(client, prefix, ids);
        var after = await OwnersAsync();

        output.WriteLine($"Owners before: {string.Join(",", shared)}; after: {string.Join(",", after)} (A={a}, B={b}).");
        Assert.All(after, owner => Assert.Equal(b, owner));
    }
}
