using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.Durable.Benchmarks;
using ServerlessMobility.LocalHost.Durable;
using ServerlessMobility.Storage;
using ServerlessMobility.Testing;

// The Durable Task Framework as the local host runs it (AddLocalDurableTask: AzureStorageOrchestrationService over
// Azurite, TaskHubWorker with the SDK shims, the local DurableTaskClient), in this process, against an Azurite this
// program starts on loopback (one Node.js process per service). Prints throughput and latency next to what the same
// Azurite serves to the plain Azure SDK clients on the same machine in the same run. See docs/performance.md.
BenchmarkSettings settings;
try
{
    if (BenchmarkSettings.Parse(args) is not { } parsed)
    {
        Console.WriteLine(BenchmarkSettings.Usage);
        return 0;
    }

    settings = parsed;
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkSettings.Usage);
    return 2;
}

var output = new Report(Console.Out);
output.Line($"Durable Task Framework on Azurite, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
output.Line($"command: dotnet ServerlessMobility.Durable.Benchmarks.dll {string.Join(' ', args)}");
output.Line($"machine: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} cores, {MachineInfo.MemoryGiB():F0} GiB; .NET {Environment.Version}; Node.js {MachineInfo.NodeVersion()}");
output.Line($"load average before the run (1/5/15 min): {LoadAverage.Read()}");

// Declared first, so disposed last: Azurite stops before its data folder goes.
using var dataFolderLease = new TemporaryFolder(settings.AzuriteOnDisk ? "durable-bench-azurite-" : null);
var dataFolder = dataFolderLease.Path;
await using var azurite = await AzuriteProcess.StartAsync(dataFolder);
output.Line($"Azurite {(dataFolder is null ? "in memory (--inMemoryPersistence, as the tests run it)" : $"on disk in {dataFolder} (as scripts/dev-services.sh runs it)")}, " +
    $"one Node.js process per service: queue :{azurite.QueuePort} (pid {azurite.ProcessIds["queue"]}), table :{azurite.TablePort} (pid {azurite.ProcessIds["table"]}), blob :{azurite.BlobPort} (pid {azurite.ProcessIds["blob"]})");

var cpu = new CpuMeter(azurite.ProcessIds.ToDictionary(p => "azurite " + p.Key, p => p.Value, StringComparer.Ordinal));
using var requests = new StorageRequestCounter(new Dictionary<int, string>
{
    [azurite.QueuePort] = "queue",
    [azurite.TablePort] = "table",
    [azurite.BlobPort] = "blob",
});

int[] calibrationConcurrency = [1, 32];
var calibrations = new List<IReadOnlyList<RawStorageCalibration.Measurement>>();
if (settings.Calibration > TimeSpan.Zero)
{
    output.Section("Calibration before: raw Azurite with the Azure SDK clients, no framework");
    calibrations.Add(await RawStorageCalibration.RunAsync(azurite.ConnectionString, cpu, calibrationConcurrency, settings.Calibration, settings.Burst));
    output.Calibration(calibrations[^1]);
}

var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
{
    ["Storage:ConnectionString"] = azurite.ConnectionString,
    ["Storage:ResourcePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..6],
    // The platform's storage registration validates the Cosmos settings; nothing here reads from Cosmos.
    ["CosmosDb:Endpoint"] = "https://127.0.0.1:1/",
    ["CosmosDb:Key"] = CosmosServerProcess.Key,
    ["CosmosDb:DatabaseName"] = "unused",
    ["Durable:RegisterSampleWorkflows"] = "true",
};
foreach (var (key, value) in settings.Overrides)
{
    configuration[key] = value;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
builder.Configuration.AddInMemoryCollection(configuration);
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.Services.AddPlatformStorage();
builder.Services.AddLocalDurableTask(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();
var durable = host.Services.GetRequiredService<IOptions<LocalDurableTaskOptions>>().Value;
output.Section("Task hub (the local host's defaults unless overridden with --set)");
output.Line($"{host.Services.GetRequiredService<LocalTaskHub>().Name}: PartitionCount {durable.PartitionCount}, MaxQueuePollingInterval {durable.MaxQueuePollingInterval.TotalMilliseconds} ms, " +
    $"ExtendedSessions {durable.ExtendedSessionsEnabled} ({durable.ExtendedSessionIdleTimeout.TotalSeconds} s), MaxConcurrentActivities {durable.MaxConcurrentActivities}, " +
    $"MaxConcurrentOrchestrations {durable.MaxConcurrentOrchestrations}; overrides: {(settings.Overrides.Count == 0 ? "none" : string.Join(", ", settings.Overrides.Select(o => $"{o.Key}={o.Value}")))}");

IdleResult? idle = null;
BurstResult? burst = null;
FanOutResult? fanOut = null;
try
{
    var service = host.Services.GetRequiredService<LocalTaskHub>().Service;
    output.Line($"framework: {service.TaskOrchestrationDispatcherCount} orchestration and {service.TaskActivityDispatcherCount} activity dispatcher(s) (each fetches one work item at a time)");
    var client = host.Services.GetRequiredService<DurableTaskClient>();
    var scenarios = new DurableScenarios(client, requests, cpu);

    // Warm-up: partitions acquired, code jitted, connections open.
    var warmUp = Stopwatch.StartNew();
    await scenarios.BurstAsync("warm-", 20, settings.Steps, settings.StartConcurrency);
    output.Line($"warm-up: 20 sequences in {warmUp.Elapsed.TotalSeconds:F1} s");

    // A quiet hub for a few seconds: what the framework's pollers and lease manager cost when nothing happens.
    await Task.Delay(TimeSpan.FromSeconds(2));
    var quietBefore = requests.Read();
    var quietClock = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(5));
    var quiet = requests.Read().Minus(quietBefore);
    var quietPerSecond = quiet.Count(k => !k.Harness) / quietClock.Elapsed.TotalSeconds;
    output.Line($"idle hub background: {quietPerSecond:F1} storage requests/s (queue polls, lease renewals)");

    if (settings.Idle > 0)
    {
        output.Section($"(c) one activity step on an idle hub: {settings.Idle} single {settings.Steps}-activity orchestrations, one at a time, {settings.IdleGap.TotalSeconds} s apart");
        idle = await scenarios.IdleAsync("idle-", settings.Idle, settings.Steps, settings.IdleGap);
        output.Line($"per step: p50 {Stats.Percentile(idle.StepMilliseconds, 50):F0} ms, p95 {Stats.Percentile(idle.StepMilliseconds, 95):F0} ms, max {idle.StepMilliseconds.Max():F0} ms ({idle.StepMilliseconds.Count} steps)");
        output.Line($"per orchestration (start to completed): p50 {Stats.Percentile(idle.OrchestrationMilliseconds, 50):F0} ms, p95 {Stats.Percentile(idle.OrchestrationMilliseconds, 95):F0} ms");
        output.Requests(idle.Window, settings.Idle, "orchestration");
        output.Line($"  of these, about {quietPerSecond * settings.IdleGap.TotalSeconds:F0} per orchestration are the idle hub's background during the {settings.IdleGap.TotalSeconds} s pause before each");
    }

    if (settings.Burst > 0)
    {
        output.Section($"(a) burst: {settings.Burst} orchestrations of {settings.Steps} activities started at once ({settings.StartConcurrency} start requests in flight)");
        output.Line($"load average before: {LoadAverage.Read()}");
        burst = await scenarios.BurstAsync("burst-", settings.Burst, settings.Steps, settings.StartConcurrency);
        output.Line($"{burst.Count} orchestrations from the first start request to the last completion in {burst.ToLastCompletion.TotalSeconds:F1} s " +
            $"(starting took {burst.Starting.TotalSeconds:F1} s) = {burst.OrchestrationsPerSecond:F1} orchestrations/s, {burst.OrchestrationsPerSecond * settings.Steps:F0} activities/s");
        output.Line($"completion time from its start request: p50 {Stats.Percentile(burst.CompletionSeconds, 50):F1} s, p95 {Stats.Percentile(burst.CompletionSeconds, 95):F1} s, max {burst.CompletionSeconds.Max():F1} s");
        output.Requests(burst.Window, burst.Count, "orchestration");
        output.Cpu(burst.Window, burst.Count);
    }

    if (settings.FanOut > 0 && settings.FanOuts > 0)
    {
        output.Section($"(b) fan-out/fan-in: one orchestration calling {settings.FanOut} activities at once, {settings.FanOuts} times one after the other");
        output.Line($"load average before: {LoadAverage.Read()}");
        fanOut = await scenarios.FanOutAsync("fan-", settings.FanOut, settings.FanOuts);
        var seconds = fanOut.Durations.Select(d => d.TotalSeconds).ToList();
        output.Line($"each: {string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s; median {Stats.Percentile(seconds, 50):F2} s = {settings.FanOut / Stats.Percentile(seconds, 50):F0} activities/s");
        output.Requests(fanOut.Window, settings.FanOuts, "fan-out orchestration");
        output.Cpu(fanOut.Window, settings.FanOuts);
    }
}
finally
{
    // Also when a workload fails: the worker must stop before the host's services are disposed.
    await host.StopAsync();
}

if (settings.Calibration > TimeSpan.Zero)
{
    output.Section("Calibration after (the task hub stopped)");
    calibrations.Add(await RawStorageCalibration.RunAsync(azurite.ConnectionString, cpu, calibrationConcurrency, settings.Calibration, settings.Burst));
    output.Calibration(calibrations[^1]);
}

output.Section("Summary");
output.Line($"load average after the run: {LoadAverage.Read()}");
double? Raw(string name, int concurrency, Func<RawStorageCalibration.Measurement, double> value) => calibrations.Count == 0
    ? null
    : calibrations.Select(c => value(c.Single(m => m.Name.StartsWith(name, StringComparison.Ordinal) && !m.Name.Contains("waiting", StringComparison.Ordinal) && m.Concurrency == concurrency))).Average();
var queueOps = Raw("queue", 32, m => m.OperationsPerSecond);
var tableOps = Raw("table", 32, m => m.OperationsPerSecond);
var queueLatency = Raw("queue", 1, m => m.MillisecondsPerOperation);
if (queueOps is not null && tableOps is not null)
{
    output.Line($"raw Azurite (mean of before and after, 32 callers): queue {queueOps:F0} ops/s, table {tableOps:F0} ops/s; one queue operation alone {queueLatency:F2} ms, one table operation alone {Raw("table", 1, m => m.MillisecondsPerOperation):F2} ms");
}

if (burst is not null)
{
    var verdict = burst.OrchestrationsPerSecond >= 20 ? "met" : "NOT met";
    output.Line($"(a) burst {burst.OrchestrationsPerSecond:F1} orchestrations/s (target >= 20/s: {verdict}), completion p50 {Stats.Percentile(burst.CompletionSeconds, 50):F1} s, p95 {Stats.Percentile(burst.CompletionSeconds, 95):F1} s" +
        (queueOps is null ? string.Empty : $"; {burst.OrchestrationsPerSecond / queueOps * 1000:F2} orchestrations/s per 1000 raw queue ops/s, {burst.OrchestrationsPerSecond / tableOps * 1000:F2} per 1000 raw table ops/s"));
    var cpuMs = burst.Window.Cpu.Where(c => c.Key.StartsWith("azurite", StringComparison.Ordinal) || c.Key == CpuMeter.Benchmark)
        .ToDictionary(c => c.Key, c => c.Value.TotalMilliseconds / burst.Count, StringComparer.Ordinal);
    var busiestAzurite = cpuMs.Where(c => c.Key.StartsWith("azurite", StringComparison.Ordinal)).MaxBy(c => c.Value);
    output.Line($"    CPU per orchestration: host {cpuMs[CpuMeter.Benchmark]:F0} ms, {string.Join(", ", cpuMs.Where(c => c.Key.StartsWith("azurite", StringComparison.Ordinal) && c.Value > 0.05).Select(c => $"{c.Key} {c.Value:F0} ms"))}, " +
        $"total {cpuMs.Values.Sum():F0} ms; other processes took {Math.Max(0, (burst.Window.Cpu[CpuMeter.Machine].TotalSeconds - cpuMs.Values.Sum() * burst.Count / 1000) / burst.Window.Cpu[CpuMeter.Machine].TotalSeconds * 100):F0} % of the machine's busy CPU in that time");
    output.Line($"    at these CPU costs an otherwise idle machine would bound the burst at about {Environment.ProcessorCount * 1000 / cpuMs.Values.Sum():F0}/s (all cores) " +
        $"and {busiestAzurite.Key} (one Node.js thread) at about {1000 / busiestAzurite.Value:F0}/s: an estimate from the costs, not a measurement");
}

if (fanOut is not null)
{
    var median = Stats.Percentile(fanOut.Durations.Select(d => d.TotalSeconds).ToList(), 50);
    output.Line($"(b) fan-out {fanOut.Activities} activities: median {median:F2} s = {fanOut.Activities / median:F0} activities/s" +
        (queueOps is null ? string.Empty : $"; {fanOut.Activities / median / queueOps * 1000:F1} activities/s per 1000 raw queue ops/s"));
}

if (idle is not null)
{
    var p50 = Stats.Percentile(idle.StepMilliseconds, 50);
    var p95 = Stats.Percentile(idle.StepMilliseconds, 95);
    output.Line($"(c) idle step p50 {p50:F0} ms, p95 {p95:F0} ms (target < 200 ms: {(p95 < 200 ? "met at p95" : p50 < 200 ? "met at p50, not at p95" : "NOT met")})" +
        (queueLatency is null ? string.Empty : $"; p50 = {p50 / queueLatency:F0} lone raw queue operations"));
}

output.Line(string.Empty);
output.Line("Warnings and errors the host logged are above, interleaved (console, level Warning).");

// Markdown rows: | what | figure | calibration (same run) | ratio | goal | goal as a ratio | met |. The goals as ratios are
// the absolute goals divided by the calibration of the idle machine they were set against (docs/performance.md):
// 20 orchestrations/s at 1,538 raw queue ops/s is 13.0 per 1000; 200 ms at about 1.3 ms per lone queue operation is 150.
if (settings.Rows is { } rowsFile && queueOps is not null && tableOps is not null && queueLatency is not null)
{
    static string Met(bool met) => met ? "met" : "**not met**";
    var rows = new StringBuilder();
    var calibration = string.Create(CultureInfo.InvariantCulture, $"raw Azurite queue {queueOps:F0} ops/s, table {tableOps:F0} ops/s (32 callers), one queue op {queueLatency:F2} ms");
    if (burst is not null)
    {
        var perQueue = burst.OrchestrationsPerSecond / queueOps.Value * 1000;
        rows.Append(CultureInfo.InvariantCulture, $"| durable burst, {burst.Count} x {settings.Steps} activities | {burst.OrchestrationsPerSecond:F1} orchestrations/s (load {burst.Window.LoadBefore}) | {calibration} | {perQueue:F2} per 1000 queue ops/s, {burst.OrchestrationsPerSecond / tableOps.Value * 1000:F2} per 1000 table ops/s | >= 20/s: {Met(burst.OrchestrationsPerSecond >= 20)} | >= 13.0 per 1000 queue ops/s | {Met(perQueue >= 13.0)} |\n");
    }

    if (fanOut is not null)
    {
        var median = Stats.Percentile(fanOut.Durations.Select(d => d.TotalSeconds).ToList(), 50);
        rows.Append(CultureInfo.InvariantCulture, $"| durable fan-out/fan-in, {fanOut.Activities} activities | {fanOut.Activities / median:F0} activities/s | {calibration} | {fanOut.Activities / median / queueOps.Value * 1000:F1} per 1000 queue ops/s | - | - | - |\n");
    }

    if (idle is not null)
    {
        var p50 = Stats.Percentile(idle.StepMilliseconds, 50);
        var p95 = Stats.Percentile(idle.StepMilliseconds, 95);
        rows.Append(CultureInfo.InvariantCulture, $"| durable activity step on an idle hub | p50 {p50:F0} ms, p95 {p95:F0} ms | {calibration} | p50 {p50 / queueLatency.Value:F0}, p95 {p95 / queueLatency.Value:F0} lone queue ops | p95 < 200 ms: {Met(p95 < 200)} | p95 <= 150 lone queue ops | {Met(p95 / queueLatency.Value <= 150)} |\n");
    }

    await File.AppendAllTextAsync(rowsFile, rows.ToString());
}

return 0;

internal static class Stats
{
    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>A temporary folder deleted on dispose, or none.</summary>
internal sealed class TemporaryFolder(string? prefix) : IDisposable
{
    public string? Path { get; } = prefix is null ? null : Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        if (Path is not null && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

internal static class MachineInfo
{
    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    public static double MemoryGiB() =>
        double.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024;

    public static string NodeVersion()
    {
        using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
        var version = node?.StandardOutput.ReadToEnd().Trim();
        node?.WaitForExit();
        return version ?? "unknown";
    }
}

/// <summary>Writes the figures as they come (the projects run with invariant globalization).</summary>
internal sealed class Report(TextWriter writer)
{
    public void Line(string text) => writer.WriteLine(text);

    public void Section(string title)
    {
        writer.WriteLine();
        writer.WriteLine($"== {title}");
    }

    public void Calibration(IReadOnlyList<RawStorageCalibration.Measurement> measurements)
    {
        foreach (var m in measurements)
        {
            var service = m.Name.StartsWith("queue", StringComparison.Ordinal) ? "azurite queue" : "azurite table";
            var azuriteCpu = m.Cpu.GetValueOrDefault(service);
            Line($"{m.Name}, {m.Concurrency} caller(s): {m.OperationsPerSecond:F0} ops/s, {m.MillisecondsPerOperation:F2} ms per operation per caller; " +
                $"{service} CPU {azuriteCpu.TotalSeconds / m.Seconds * 100:F0} % of a core, {azuriteCpu.TotalMilliseconds / m.Operations:F3} ms per operation");
        }
    }

    public void Requests(Window window, int units, string unit)
    {
        var tallies = window.Requests.Tallies.Where(t => t.Value.Count > 0).ToList();
        var framework = tallies.Where(t => !t.Key.Harness).ToList();
        var total = framework.Sum(t => t.Value.Count);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"storage requests by the framework (client starts, worker, pollers, leases): {total} in {window.Elapsed.TotalSeconds:F1} s = {(double)total / units:F1} per {unit}");
        foreach (var service in framework.GroupBy(t => t.Key.Service).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = service.Sum(t => t.Value.Count);
            text.Append(CultureInfo.InvariantCulture, $"\n  {service.Key}: {(double)count / units:F1} per {unit} (mean {service.Sum(t => t.Value.Time.TotalMilliseconds) / count:F1} ms each as the client saw it):");
            foreach (var (key, value) in service.OrderByDescending(t => t.Value.Count))
            {
                text.Append(CultureInfo.InvariantCulture, $" {key.Operation} {(double)value.Count / units:F2};");
            }
        }

        var harness = tallies.Where(t => t.Key.Harness).Sum(t => t.Value.Count);
        text.Append(CultureInfo.InvariantCulture, $"\n  not counted above: {harness} requests by the benchmark's own completion polling");
        Line(text.ToString());
    }

    public void Cpu(Window window, int units)
    {
        var seconds = window.Elapsed.TotalSeconds;
        var cpu = window.Cpu;
        var ours = cpu.Where(c => c.Key.StartsWith("azurite", StringComparison.Ordinal) || c.Key == CpuMeter.Benchmark).ToList();
        var others = cpu[CpuMeter.Machine] - TimeSpan.FromTicks(ours.Sum(c => c.Value.Ticks));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"CPU over {seconds:F1} s (load average before: {window.LoadBefore}):");
        foreach (var (name, value) in ours.OrderByDescending(c => c.Value))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {name}: {value.TotalSeconds:F1} s = {value.TotalSeconds / seconds * 100:F0} % of a core, {value.TotalMilliseconds / units:F1} ms per unit");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"\n  every other process on the machine: {Math.Max(0, others.TotalSeconds):F1} s; machine busy {cpu[CpuMeter.Machine].TotalSeconds / cpu[CpuMeter.MachineCapacity].TotalSeconds * 100:F0} % of {Environment.ProcessorCount} cores");
        Line(text.ToString());
    }
}
