using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace ServerlessMobility.Telemetry.Benchmarks;

/// <summary>
/// What this Azurite accepts with the plain Azure SDK clients and no platform code: the writes the pipeline makes for
/// each vehicle of a batch (one archive blob upload, a state and an aggregate entity upsert), by 32 callers at once.
/// The end-to-end figure divided by it is comparable between machines as far as Azurite is the limit.
/// </summary>
internal static class RawAzuriteWrites
{
    public static async Task<double> OperationsPerSecondAsync(string connectionString, TimeSpan duration, int callers = 32)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var table = new TableClient(connectionString, "calibration" + suffix);
        await table.CreateAsync();
        var container = new BlobContainerClient(connectionString, "calibration" + suffix);
        await container.CreateAsync();
        try
        {
            // A 100-message archive of ~250-byte readings, and entities the size of a vehicle's state.
            var archive = BinaryData.FromBytes(new byte[25_000]);
            var payload = new string('x', 600);
            long operations = 0;
            async Task WriteSetAsync(int caller, long k)
            {
                var key = $"{caller}-{k % 100}";
                await container.GetBlobClient($"{caller}/{k}").UploadAsync(archive, overwrite: true);
                await table.UpsertEntityAsync(new TableEntity("state", key) { ["Payload"] = payload });
                await table.UpsertEntityAsync(new TableEntity("aggregate", key) { ["Payload"] = payload });
                Interlocked.Add(ref operations, 3);
            }

            // Connections opened and code jitted before the clock starts.
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => WriteSetAsync(c, -1)));
            operations = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
            {
                for (long k = 0; clock.Elapsed < duration; k++)
                {
                    await WriteSetAsync(caller, k);
                }
            }));
            return operations / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await table.DeleteAsync();
            await container.DeleteAsync();
        }
    }
}
