using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ServerlessMobility.Durable.Benchmarks;

/// <summary>
/// What this Azurite serves with the plain Azure SDK clients and no framework: the yardstick that makes the
/// framework's figures comparable across machines and across a machine's load. Queues: put + get + delete of a
/// small message; tables: insert + point read of a small entity. Both at one request at a time (latency) and at
/// the worker's activity concurrency (throughput), and the queue cycle once more with a backlog of waiting messages.
/// </summary>
internal static class RawStorageCalibration
{
    public sealed record Measurement(string Name, int Concurrency, long Operations, double Seconds, IReadOnlyDictionary<string, TimeSpan> Cpu)
    {
        public double OperationsPerSecond => Operations / Seconds;

        /// <summary>Mean time of one operation as one caller sees it.</summary>
        public double MillisecondsPerOperation => Seconds * 1000 * Concurrency / Operations;
    }

    public static async Task<IReadOnlyList<Measurement>> RunAsync(string connectionString, CpuMeter cpu, int[] concurrencies, TimeSpan duration, int backlog)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var queue = new QueueClient(connectionString, "calibration" + suffix);
        await queue.CreateAsync();
        var table = new TableClient(connectionString, "calibration" + suffix);
        await table.CreateAsync();
        var results = new List<Measurement>();
        try
        {
            // A message and an entity the size of a small activity message, so that the comparison is like for like.
            var body = new string('x', 600);
            foreach (var concurrency in concurrencies)
            {
                results.Add(await MeasureAsync("queue put+get+delete", cpu, concurrency, duration, async () =>
                {
                    await queue.SendMessageAsync(body);
                    var received = await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30));
                    if (received.Value is { } message)
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                        return 3;
                    }

                    return 2;
                }));
                results.Add(await MeasureAsync("table insert+point read", cpu, concurrency, duration, async () =>
                {
                    var key = Guid.NewGuid().ToString("N");
                    await table.AddEntityAsync(new TableEntity("calibration", key) { ["Payload"] = body });
                    await table.GetEntityAsync<TableEntity>("calibration", key);
                    return 2;
                }));
            }

            // The burst leaves hundreds of messages waiting in the work-item and control queues; Azurite's in-memory
            // queue looks through them on every receive. The same cycle with a backlog shows what that costs.
            if (backlog > 0)
            {
                await Task.WhenAll(Enumerable.Range(0, 32).Select(async worker =>
                {
                    for (var i = worker; i < backlog; i += 32)
                    {
                        await queue.SendMessageAsync(body);
                    }
                }));
                var deep = concurrencies.Max();
                var measured = await MeasureAsync("queue put+get+delete", cpu, deep, duration, async () =>
                {
                    await queue.SendMessageAsync(body);
                    var received = await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30));
                    if (received.Value is { } message)
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                        return 3;
                    }

                    return 2;
                });
                results.Add(measured with { Name = $"queue put+get+delete with {backlog} messages waiting" });
            }

            return results;
        }
        finally
        {
            // The framework's run that follows should not share Azurite's memory with the calibration's data.
            await queue.DeleteAsync();
            await table.DeleteAsync();
        }
    }

    private static async Task<Measurement> MeasureAsync(string name, CpuMeter cpu, int concurrency, TimeSpan duration, Func<Task<int>> operation)
    {
        // A short warm-up: connections opened and code jitted before the clock starts.
        var warmUp = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (warmUp.Elapsed < TimeSpan.FromSeconds(1))
            {
                await operation();
            }
        }));

        long operations = 0;
        var cpuBefore = cpu.Read();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                Interlocked.Add(ref operations, await operation());
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        return new Measurement(name, concurrency, operations, seconds, CpuMeter.Difference(cpu.Read(), cpuBefore));
    }
}
