using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ServerlessMobility.Benchmarks;
using ServerlessMobility.Testing.Telemetry;

namespace ServerlessMobility.Telemetry.Benchmarks;

/// <summary>
/// The pipeline alone: one batch of <see cref="BatchSize"/> messages from <see cref="Vehicles"/> vehicles
/// through parse, dedupe, rules, aggregates and coalesced state writes into in-memory stand-ins that keep
/// nothing (so storage cost is zero and the figure is the code's). Single-threaded to report per core.
/// Messages/s = BatchSize / Mean; allocation per message = Allocated / BatchSize. The calibration in the same run is the
/// baseline <see cref="ParseOnly"/>: the same batch's bodies deserialised and nothing else, so the Ratio column (pipeline
/// time over parse time) is comparable between machines.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob))]
public class PipelineBenchmarks
{
    private TelemetryPipeline _pipeline = null!;
    private TelemetryMessage[][] _batches = null!;
    private int _next;

    [Params(1000)]
    public int BatchSize { get; set; }

    [Params(100)]
    public int Vehicles { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var stores = new InMemoryTelemetryStores { Retain = false };
        _pipeline = new TelemetryPipeline(stores, stores, stores, stores, stores, stores, stores, stores, new VehicleStateBroadcaster(), new RiskRuleOptions(), TimeProvider.System)
        {
            MaxDegreeOfParallelism = 1,
        };

        // Enough distinct batches that sequence numbers keep rising (duplicates would be skipped cheaply).
        var start = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        _batches = new TelemetryMessage[2000][];
        long sequence = 0;
        for (var b = 0; b < _batches.Length; b++)
        {
            var batch = new TelemetryMessage[BatchSize];
            for (var i = 0; i < BatchSize; i++)
            {
                var vehicle = i % Vehicles;
                var step = (b * (BatchSize / Vehicles)) + (i / Vehicles);
                var body = new TelemetryBody
                {
                    SchemaVersion = 1,
                    Lat = 48.1 + (step * 0.0001),
                    Lon = 11.5,
                    SpeedKmh = 50 + (step % 90),
                    Heading = 90,
                    OdometerKm = 10_000 + (step * 0.01),
                    BatteryPercent = 80,
                    Ignition = true,
                    Dtcs = [],
                    FirmwareVersion = "1.0.0",
                    Timestamp = start.AddSeconds(step),
                };
                var vin = string.Create(CultureInfo.InvariantCulture, $"WBNCH{vehicle:D12}");
                batch[i] = new TelemetryMessage(vin, start.AddSeconds(step), "0", ++sequence, null, new Dictionary<string, string>(), JsonSerializer.SerializeToUtf8Bytes(body, TelemetryJsonContext.Default.TelemetryBody));
            }

            _batches[b] = batch;
        }
    }

    /// <summary>The floor any pipeline pays: reading each message's JSON body, with the same source-generated contract.</summary>
    [Benchmark(Baseline = true)]
    public double ParseOnly()
    {
        var batch = _batches[_next++ % _batches.Length];
        var sum = 0.0;
        foreach (var message in batch)
        {
            sum += JsonSerializer.Deserialize(message.Body.Span, TelemetryJsonContext.Default.TelemetryBody)!.SpeedKmh ?? 0;
        }

        return sum;
    }

    [Benchmark]
    public Task<TelemetryBatchResult> ProcessBatch()
    {
        // On wrap-around the cache is dropped; the stand-in state store keeps nothing, so every vehicle
        // starts fresh and the replayed batches are processed in full rather than skipped as duplicates.
        if (_next % _batches.Length == 0)
        {
            _pipeline.ClearCache();
        }

        var batch = _batches[_next++ % _batches.Length];
        return _pipeline.ProcessAsync(batch, CancellationToken.None);
    }
}
