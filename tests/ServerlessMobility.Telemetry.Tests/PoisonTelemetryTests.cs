using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>
/// Issue 16 item 2: one bad message must not stall its partition. The local host runs on Azurite with
/// one partition, so every vehicle shares the consumer the poison message lands on.
/// </summary>
public class PoisonTelemetryTests(PlatformEmulators emulators)
{
    private const string Tenant = "tenant-poison";
    private static readonly DateTimeOffset Day = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PoisonAmongGoodOnOnePartition_GoodOnesShowPromptly_PoisonDeadLetteredOnce()
    {
        await using var factory = NewFactory();
        using var client = factory.CreateClient();
        var staff = await BrokerIngestionTests.TokenAsync(client, "staff-1", BrokerIngestionTests.PlatformRolesFor.Staff, Tenant);
        var port = int.Parse(factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture);
        var vins = Enumerable.Range(1, 3).Select(i => $"WPSNX{i:D12}").ToArray();
        await using var fleet = await BrokerIngestionTests.ConnectFleetAsync(client, staff, port, vins);
        var vehicles = fleet.Vehicles;

        // The first vehicle's third reading is schema-valid JSON whose dtcs hold a long code and a code
        // with '/': before the fix its risk-event row key was rejected by Azure Tables and the batch
        // (every vehicle on the partition) was retried without end.
        const int Steps = 6;
        const string PoisonId = "poison-1";
        for (var step = 0; step < Steps; step++)
        {
            foreach (var vehicle in vehicles)
            {
                if (step == 2 && vehicle == vehicles[0])
                {
                    var poison = Body(step);
                    poison.Dtcs = ["P0301", new string('P', 300), "P03/01"];
                    await vehicle.SendAsync(poison, PoisonId, Ct);
                    continue;
                }

                await vehicle.SendAsync(Body(step), cancellationToken: Ct);
            }
        }

        var clock = Stopwatch.StartNew();
        foreach (var vin in vins)
        {
            await BrokerIngestionTests.WaitForStateAsync(client, staff, vin, s => s.GetProperty("odometerKm").GetDouble() == 1000 + Steps - 1, "the last good reading",
                TimeSpan.FromSeconds(20));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Good readings took {clock.Elapsed} to show.");

        // The poison message is parked exactly once, with its reason, and nothing else is.
        var storage = factory.Services.GetRequiredService<StorageClients>();
        var deadLetters = await ReadDeadLettersAsync(storage);
        var parked = Assert.Single(deadLetters);
        Assert.Equal(PoisonId, parked.Message.MessageId);
        Assert.Equal(vins[0], parked.Message.DeviceId);
        Assert.Contains("dtcs", parked.Reason, StringComparison.Ordinal);

        // The archive holds each good message once, even when batches were retried.
        var archived = await ReadArchiveAsync(storage);
        Assert.Equal((vins.Length * Steps) - 1, archived.Count);
        Assert.Equal(archived.Count, archived.Select(m => (m.PartitionId, m.SequenceNumber)).Distinct().Count());
    }

    internal static async Task<List<DeadLetter>> ReadDeadLettersAsync(StorageClients storage)
    {
        var container = storage.GetContainer("telemetry-deadletter");
        var result = new List<DeadLetter>();
        if (!await container.ExistsAsync(Ct))
        {
            return result;
        }

        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken: Ct))
        {
            var content = await container.GetBlobClient(item.Name).DownloadContentAsync(Ct);
            result.Add(JsonSerializer.Deserialize(content.Value.Content.ToString(), TelemetryJsonContext.Default.DeadLetter)!);
        }

        return result;
    }

    internal static async Task<List<ArchivedMessage>> ReadArchiveAsync(StorageClients storage)
    {
        var container = storage.GetContainer("telemetry-archive");
        var result = new List<ArchivedMessage>();
        if (!await container.ExistsAsync(Ct))
        {
            return result;
        }

        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken: Ct))
        {
            var content = await container.GetBlobClient(item.Name).DownloadContentAsync(Ct);
            foreach (var line in content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                result.Add(JsonSerializer.Deserialize(line, TelemetryJsonContext.Default.ArchivedMessage)!);
            }
        }

        return result;
    }

    private static TelemetryBody Body(int step) => new()
    {
        SchemaVersion = 1,
        Lat = 48.137,
        Lon = 11.575,
        SpeedKmh = 50,
        Heading = 90,
        OdometerKm = 1000 + step,
        BatteryPercent = 80,
        Ignition = true,
        Dtcs = [],
        FirmwareVersion = "2.0.0",
        Timestamp = Day.AddSeconds(step * 10),
    };

    private LocalHostFactory NewFactory()
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ResourcePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10];
        factory.Settings["Telemetry:Ingestion:Partitions"] = "1";
        factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.100";
        return factory;
    }
}
