using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.LocalHost.Broker;
using ServerlessMobility.LocalHost.Telemetry;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Telemetry.Benchmarks;

/// <summary>
/// Simulated vehicles (in a publisher process of their own) -> embedded broker (real MQTT over loopback) -> batching
/// ingestion -> pipeline -> Azurite, at offered rates stepped up until ingest-to-state p99 reaches 1 s, the pipeline
/// does not drain, or the publisher cannot offer the rate. Latency is from the broker stamping a message (enqueued
/// time) to its vehicle's state being written and broadcast, on the newest message of each vehicle's batch, so the
/// oldest message of a batch waited up to MaxBatchWait longer. Calibrations from the same run on the same machine:
/// the same publisher against a second broker of the same kind (same device policy) with nothing consuming, and raw
/// Azurite writes.
/// </summary>
internal static class EndToEndLoad
{
    public const string Usage = """
        Usage: ServerlessMobility.Telemetry.Benchmarks e2e [options]
          --vehicles N        simulated vehicles, each one MQTT connection (100)
          --start-rate N      first offered rate, messages/s (2000)
          --factor X          each step offers X times the previous rate (1.4)
          --max-rate N        stop stepping above this rate (60000)
          --step-seconds S    publishing time of each step (8)
          --calibration S     publish-only and raw Azurite measurements, seconds each (5)
          --rows FILE         append the summary as markdown table rows (scripts/bench.sh)
        """;

    private const double LatencyGoalMs = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        int vehicleCount = 100, startRate = 2000, maxRate = 60_000;
        double factor = 1.4, stepSeconds = 8, calibrationSeconds = 5;
        string? rows = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--vehicles": vehicleCount = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--start-rate": startRate = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--factor": factor = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--max-rate": maxRate = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--step-seconds": stepSeconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--calibration": calibrationSeconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--rows": rows = Value(); break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        if (factor <= 1 || vehicleCount < 1 || startRate < 1)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Telemetry end to end, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Machine.Describe()}; load average before (1/5/15 min): {Machine.LoadAverage()}"));

        // WebApplicationFactory guesses the content root from the solution layout; outside a test run, say it.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SERVERLESSMOBILITY_LOCALHOST", RepositoryPaths.InRoot("functions", "ServerlessMobility.LocalHost"));
        var emulators = new PlatformEmulators();
        await emulators.InitializeAsync();
        try
        {
            await using var factory = new LocalHostFactory(emulators);
            factory.Settings["Logging:LogLevel:Default"] = "Warning";
            factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.100";
            using var http = factory.CreateClient();
            var port = int.Parse(factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture);
            var ingestion = factory.Services.GetRequiredService<MqttTelemetryIngestion>();
            var broadcaster = factory.Services.GetRequiredService<VehicleStateBroadcaster>();
            var hub = factory.Services.GetRequiredService<IOptions<MqttBrokerOptions>>().Value.HubHostName;
            var time = TimeProvider.System;

            using var stop = new CancellationTokenSource();
            var observations = new ConcurrentQueue<double>();
            var devices = new List<(string Id, string Key)>();
            var listeners = new List<Task>();
            var registry = factory.Services.GetRequiredService<ServerlessMobility.Platform.Vehicles.IDeviceIdentityRegistry>();
            for (var i = 0; i < vehicleCount; i++)
            {
                var device = (await registry.EnsureAsync(string.Create(CultureInfo.InvariantCulture, $"WLD{i:D14}"), rotateKey: true, CancellationToken.None))!;
                devices.Add((device.DeviceId, device.PrimaryKey));
                listeners.Add(Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var view in broadcaster.SubscribeAsync(device.DeviceId, stop.Token))
                        {
                            observations.Enqueue((time.GetUtcNow() - view.LastSeenAt).TotalMilliseconds);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        // End of the run.
                    }
                }));
            }

            await using var publisher = PublisherClient.Start(devices);
            var calibration = TimeSpan.FromSeconds(calibrationSeconds);

            // Calibration 1: the same publisher, the same broker code and device policy, nothing consuming (no ingestion,
            // no subscriber): what the generator and the broker can do on this machine now.
            double publishOnly;
            {
                var policy = factory.Services.GetRequiredService<IoTHubBrokerPolicy>();
                await using var bare = new MqttBroker(Options.Create(new MqttBrokerOptions { Port = FreeTcpPort.Next(), HubHostName = hub }), policy,
                    factory.Services.GetRequiredService<ILogger<MqttBroker>>());
                await bare.StartAsync(CancellationToken.None);
                await publisher.ConnectAsync(bare.Port, hub);
                await publisher.RunAsync(0, TimeSpan.FromSeconds(1));
                var cpuBefore = publisher.Cpu();
                var hostBefore = Machine.ProcessCpu("self");
                var (sent, seconds) = await publisher.RunAsync(0, calibration);
                publishOnly = sent / seconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibration, publish only (same publisher, same broker and device policy, nothing consuming): {publishOnly:0} msg/s " +
                    $"({sent} in {seconds:0.0} s; publisher CPU {(publisher.Cpu() - cpuBefore).TotalMilliseconds * 1000 / sent:0} us/message, broker {(Machine.ProcessCpu("self") - hostBefore).TotalMilliseconds * 1000 / sent:0} us/message); load {Machine.LoadAverage()}"));
                await publisher.DisconnectAsync();
            }

            // Calibration 2: what Azurite accepts of the writes the pipeline makes per vehicle and batch.
            var rawWrites = await RawAzuriteWrites.OperationsPerSecondAsync(emulators.StorageConnectionString, calibration);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibration, raw Azurite writes (archive blob upload + 2 entity upserts, 32 callers): {rawWrites:0} ops/s; load {Machine.LoadAverage()}"));

            await publisher.ConnectAsync(port, hub);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{vehicleCount} vehicles connected to the local host's broker; steps of {stepSeconds:0.#} s from {startRate}/s, x{factor:0.##} each, until p99 >= {LatencyGoalMs:0} ms"));
            // Warm-up, not measured: the pipeline's code jitted, tables and containers created, caches filled.
            var (warmSent, _) = await publisher.RunAsync(startRate / 2.0, TimeSpan.FromSeconds(3));
            var warmDrain = Stopwatch.StartNew();
            while (ingestion.ProcessedMessages < warmSent && warmDrain.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            await Task.Delay(500);
            var steps = new List<Step>();
            for (double rate = startRate; rate <= maxRate; rate *= factor)
            {
                observations.Clear();
                var processedBefore = ingestion.ProcessedMessages;
                var rejectedBefore = ingestion.Rejected;
                var publisherCpu = publisher.Cpu();
                var hostCpu = Machine.ProcessCpu("self");
                var load = Machine.LoadAverage().Split(' ')[0];
                var clock = Stopwatch.StartNew();
                var (sent, seconds) = await publisher.RunAsync(rate, TimeSpan.FromSeconds(stepSeconds));

                // Drained: everything this step sent is processed (at most 15 s more).
                var drain = Stopwatch.StartNew();
                while (ingestion.ProcessedMessages < processedBefore + sent && drain.Elapsed < TimeSpan.FromSeconds(15))
                {
                    await Task.Delay(20);
                }

                var processed = ingestion.ProcessedMessages - processedBefore;
                var sorted = observations.ToArray();
                Array.Sort(sorted);
                var step = new Step(rate, sent / seconds, processed / clock.Elapsed.TotalSeconds, drain.Elapsed.TotalSeconds, processed >= sent,
                    Percentile(sorted, 0.50), Percentile(sorted, 0.99), Percentile(sorted, 1), sorted.Length, ingestion.Rejected - rejectedBefore,
                    (publisher.Cpu() - publisherCpu).TotalMilliseconds * 1000 / Math.Max(1, sent), (Machine.ProcessCpu("self") - hostCpu).TotalMilliseconds * 1000 / Math.Max(1, sent), load);
                steps.Add(step);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  offered {step.Target,6:0}/s: sent {step.Offered,6:0}/s, sustained {step.Sustained,6:0}/s (drained {step.DrainSeconds:0.0} s after), " +
                    $"latency p50 {step.P50,5:0} ms p99 {step.P99,5:0} ms max {step.Max,5:0} ms (n={step.Samples}), rejected {step.Rejected}; " +
                    $"CPU per message: publisher {step.PublisherCpuUs:0} us, host {step.HostCpuUs:0} us; load {load} -> {step.Verdict}"));
                if (!step.Ok)
                {
                    break;
                }

                // Let the host's buffers empty before the next step.
                await Task.Delay(500);
            }

            await stop.CancelAsync();
            await Task.WhenAll(listeners);

            var best = steps.LastOrDefault(s => s.Ok);
            var last = steps[^1];
            var reason = last.Ok ? $"stopped at --max-rate {maxRate}" : last.Verdict;
            Console.WriteLine();
            if (best is null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no step held p99 < {LatencyGoalMs:0} ms ({reason}); calibration: publish only {publishOnly:0} msg/s, raw Azurite {rawWrites:0} writes/s"));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sustained with p99 < {LatencyGoalMs:0} ms: {best.Sustained:0} msg/s at {best.Offered:0}/s offered (p99 {best.P99:0} ms); next step: {reason}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"against publish only ({publishOnly:0} msg/s): x{best.Sustained / publishOnly:0.00}; per raw Azurite write op/s ({rawWrites:0}): {best.Sustained / rawWrites:0.00} messages"));
            }

            if (rows is not null)
            {
                var figure = best is null ? "none held p99 < 1 s" : string.Create(CultureInfo.InvariantCulture, $"{best.Sustained:0} msg/s sustained, p99 {best.P99:0} ms (load {best.Load})");
                var ratio = best is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"x{best.Sustained / publishOnly:0.00} of publish only; {best.Sustained / rawWrites:0.00} msg per raw write");
                var met = best is not null && best.Sustained >= 10_000 ? "met" : "**not met**";
                var metRatio = best is not null && best.Sustained / publishOnly >= GoalRatio ? "met" : "**not met**";
                await File.AppendAllTextAsync(rows, string.Create(CultureInfo.InvariantCulture, 
                    $"| telemetry end to end, {vehicleCount} vehicles, highest step with p99 < 1 s (next: {reason}) | {figure} | publish only {publishOnly:0} msg/s; raw Azurite {rawWrites:0} writes/s | {ratio} | >= 10,000 msg/s, p99 < 1 s: {met} | >= {GoalRatio:0.00} x publish only | {metRatio} |\n"));
            }

            return 0;
        }
        finally
        {
            await emulators.DisposeAsync();
        }
    }

    /// <summary>The pipeline, Azurite and the host together keep up with this share of what the publisher and broker alone do.</summary>
    private const double GoalRatio = 0.5;

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record Step(double Target, double Offered, double Sustained, double DrainSeconds, bool Drained, double P50, double P99, double Max, int Samples, long Rejected,
        double PublisherCpuUs, double HostCpuUs, string Load)
    {
        public bool GeneratorBound => Offered < Target * 0.9;

        public bool Ok => Drained && P99 < LatencyGoalMs && Rejected == 0 && !GeneratorBound;

        public string Verdict => !Drained ? "not drained in 15 s"
            : Rejected > 0 ? "messages rejected"
            : P99 >= LatencyGoalMs ? "p99 >= 1 s"
            : GeneratorBound ? "the publisher could not offer the rate (generator limit)"
            : "ok";
    }
}
