using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.LocalHost.Telemetry;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Telemetry.Benchmarks;

/// <summary>
/// Simulated vehicles -> embedded broker (real MQTT over loopback) -> batching ingestion -> pipeline ->
/// Azurite, at a paced target rate. Latency is ingest-to-state: from the broker stamping a message
/// (enqueued time) to its vehicle's state being written and broadcast; measured per vehicle per batch on
/// the newest message, so the oldest message of a batch waited up to MaxBatchWait longer (printed).
/// </summary>
internal static class EndToEndLoad
{
    public static async Task RunAsync(TimeSpan duration, int vehicleCount, int targetRate)
    {
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
            var time = TimeProvider.System;

            using var stop = new CancellationTokenSource();
            var latencies = new ConcurrentBag<double>();
            var vehicles = new List<SimulatedVehicle>();
            var listeners = new List<Task>();
            for (var i = 0; i < vehicleCount; i++)
            {
                var device = (await factory.Services.GetRequiredService<ServerlessMobility.Core.Vehicles.IDeviceIdentityRegistry>()
                    .EnsureAsync(string.Create(CultureInfo.InvariantCulture, $"WLD{i:D14}"), rotateKey: true, CancellationToken.None))!;
                var vehicle = new SimulatedVehicle(IoTHubConnection.Local(device.DeviceId, device.PrimaryKey, port, hubHostName: device.HostName));
                await vehicle.ConnectAsync();
                vehicles.Add(vehicle);
                listeners.Add(Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var view in broadcaster.SubscribeAsync(vehicle.Vin, stop.Token))
                        {
                            latencies.Add((time.GetUtcNow() - view.LastSeenAt).TotalMilliseconds);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        // End of the run.
                    }
                }));
            }

            var perVehicle = (double)targetRate / vehicleCount;
            var sent = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(vehicles.Select(async (vehicle, index) =>
            {
                var driver = new RouteDriver(RouteDriver.Loop(new GeoPoint(48.1 + (index * 0.001), 11.5), 2000), 60);
                var start = DateTimeOffset.UtcNow;
                for (long k = 0; clock.Elapsed < duration; k++)
                {
                    var due = TimeSpan.FromSeconds(k / perVehicle);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }

                    await vehicle.SendAsync(driver.Next(TimeSpan.FromSeconds(1), start.AddSeconds(k)));
                    Interlocked.Increment(ref sent);
                }
            }));
            var sendSeconds = clock.Elapsed.TotalSeconds;

            var drainDeadline = Stopwatch.StartNew();
            while (ingestion.ProcessedMessages < sent && drainDeadline.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(50);
            }

            var totalSeconds = clock.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await Task.WhenAll(listeners);
            foreach (var vehicle in vehicles)
            {
                await vehicle.DisposeAsync();
            }

            var sorted = latencies.Order().ToArray();
            double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"vehicles={vehicleCount} target={targetRate}/s sent={sent} in {sendSeconds:0.0}s ({sent / sendSeconds:0}/s offered)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"processed={ingestion.ProcessedMessages} drained at {totalSeconds:0.0}s => sustained {ingestion.ProcessedMessages / totalSeconds:0} msg/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest-to-state latency (newest message per vehicle per batch, n={sorted.Length}): p50={Percentile(0.50):0} ms p99={Percentile(0.99):0} ms max={Percentile(1):0} ms; + up to 100 ms batch window for the oldest"));
        }
        finally
        {
            await emulators.DisposeAsync();
        }
    }
}
