using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ServerlessMobility.Durable.Benchmarks;

/// <summary>
/// What this Azurite serves with the plain Azure SDK clients and no framework, at the framework's level of
/// concurrency: the yardstick that makes the framework's figures comparable across machines.
/// </summary>
internal static class RawStorageCalibration
{
    public sealed record Result(double QueueOperationsPerSecond, double TableInsertsPerSecond, IReadOnlyDictionary<string, TimeSpan> QueueCpu, IReadOnlyDictionary<string, TimeSpan> TableCpu,
        long QueueOperations, long TableInserts);

    public static async Task<Result> RunAsync(string connectionString, CpuMeter cpu, int concurrency, TimeSpan duration)
    {
        var queue = new QueueClient(connectionString, "calibration" + Guid.NewGuid().ToString("N")[..8]);
        await queue.CreateAsync();
        var table = new TableClient(connectionString, "calibration" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateAsync();
        try
        {
            // A message the size of a small activity message, so that the comparison is like for like.
            var body = new string('x', 600);
            var (queueOperations, queueSeconds, queueCpu) = await MeasureAsync(cpu, concurrency, duration, async () =>
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
            var (inserts, tableSeconds, tableCpu) = await MeasureAsync(cpu, concurrency, duration, async () =>
            {
                await table.AddEntityAsync(new TableEntity("calibration", Guid.NewGuid().ToString("N")) { ["Payload"] = body });
                return 1;
            });
            return new Result(queueOperations / queueSeconds, inserts / tableSeconds, queueCpu, tableCpu, queueOperations, inserts);
        }
        finally
        {
            // The framework's run that follows should not share Azurite's memory with the calibration's data.
            await queue.DeleteAsync();
            await table.DeleteAsync();
        }
    }

    private static async Task<(long Operations, double Seconds, IReadOnlyDictionary<string, TimeSpan> Cpu)> MeasureAsync(
        CpuMeter cpu, int concurrency, TimeSpan duration, Func<Task<int>> operation)
    {
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
        return (operations, seconds, CpuMeter.Difference(cpu.Read(), cpuBefore));
    }
}
