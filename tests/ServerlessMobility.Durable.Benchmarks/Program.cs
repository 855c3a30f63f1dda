using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable;
using ServerlessMobility.Durable.Diagnostics;
using ServerlessMobility.Storage;
using ServerlessMobility.Testing;

// Orchestrations completed per second on this machine, with Azurite started here on the same cores.
// Usage: dotnet run -c Release --project tests/ServerlessMobility.Durable.Benchmarks -- [sequences=400] [fanouts=10] [partitions=4]
var sequences = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
var fanOuts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var partitions = args.Length > 2 ? args[2] : "4";

await using var azurite = await AzuriteProcess.StartAsync();
Console.WriteLine($"Azurite on 127.0.0.1 (one Node.js process per service: tables {azurite.TablePort}, queues {azurite.QueuePort}, blobs {azurite.BlobPort}); {Environment.ProcessorCount} cores; {partitions} partitions.");

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Storage:ConnectionString"] = azurite.ConnectionString,
    ["Storage:ResourcePrefix"] = "bench",
    ["CosmosDb:Endpoint"] = "https://127.0.0.1:1/",
    ["CosmosDb:Key"] = CosmosServerProcess.Key,
    ["CosmosDb:DatabaseName"] = "unused",
    ["Durable:PartitionCount"] = partitions,
    ["Durable:RegisterSampleWorkflows"] = "true",
    ["Durable:MaxPollInterval"] = "00:00:00.100",
});
builder.Services.AddLogging();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddPlatformStorage();
builder.Services.AddLocalDurableEngine(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IWorkflowClient>();

await RunAsync("warm-up (5-activity sequence)", 20, i => client.ScheduleNewAsync(DiagnosticWorkflows.Sequence, new SequenceInput(5, 0, false), new WorkflowStartOptions { InstanceId = $"warm-{i}" }));
await RunAsync("5-activity sequence", sequences, i => client.ScheduleNewAsync(DiagnosticWorkflows.Sequence, new SequenceInput(5, 0, false), new WorkflowStartOptions { InstanceId = $"seq-{i}" }));
await RunAsync("100-activity fan-out/fan-in", fanOuts, i => client.ScheduleNewAsync(DiagnosticWorkflows.FanOut, 100, new WorkflowStartOptions { InstanceId = $"fan-{i}" }));
await host.StopAsync();

async Task RunAsync(string label, int count, Func<int, Task<string>> start)
{
    if (count == 0)
    {
        return;
    }

    var clock = Stopwatch.StartNew();
    var ids = new List<string>(count);
    foreach (var chunk in Enumerable.Range(0, count).Chunk(50))
    {
        ids.AddRange(await Task.WhenAll(chunk.Select(start)));
    }

    var scheduled = clock.Elapsed;
    // One range query every 250 ms (not a status read per instance), so measuring costs the engine little.
    var prefix = ids[0][..(ids[0].IndexOf('-', StringComparison.Ordinal) + 1)];
    while (true)
    {
        var done = 0;
        string? token = null;
        do
        {
            var page = await client.ListAsync(new WorkflowQuery { InstanceIdPrefix = prefix, PageSize = 1000, ContinuationToken = token, Statuses = [WorkflowRuntimeStatus.Completed, WorkflowRuntimeStatus.Failed, WorkflowRuntimeStatus.Terminated] });
            var failed = page.Instances.FirstOrDefault(i => i.RuntimeStatus != WorkflowRuntimeStatus.Completed);
            if (failed is not null)
            {
                throw new InvalidOperationException($"{failed.InstanceId} ended {failed.RuntimeStatus}: {failed.FailureDetails?.ErrorMessage}");
            }

            done += page.Instances.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);
        if (done >= count)
        {
            break;
        }

        await Task.Delay(250);
    }

    var elapsed = clock.Elapsed;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label}: {count} orchestrations in {elapsed.TotalSeconds:F1} s (scheduling took {scheduled.TotalSeconds:F1} s) = {count / elapsed.TotalSeconds:F1} orchestrations/s"));
}
