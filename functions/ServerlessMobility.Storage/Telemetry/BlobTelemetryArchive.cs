using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Telemetry;

/// <summary>
/// The raw archive, laid out like IoT Hub's storage routing ({yyyy}/{MM}/{dd}/{HH}/...), one append blob
/// per vehicle per hour, JSON lines, one block per vehicle per batch. At least once: a batch replayed
/// after a crash before its state write appends its lines again (readers dedupe on partition + sequence).
/// </summary>
public sealed class BlobTelemetryArchive(StorageClients clients) : IRawTelemetryArchive, ITelemetryDeadLetterSink
{
    private const int MaxBlockBytes = 4 * 1024 * 1024;
    private readonly Lazy<Task<BlobContainerClient>> _archive = new(() => CreateAsync(clients, "telemetry-archive"));
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _created = new(StringComparer.Ordinal);
    private readonly Lazy<Task<BlobContainerClient>> _deadLetters = new(() => CreateAsync(clients, "telemetry-deadletter"));

    public static string ArchivePath(string vin, DateTimeOffset hour) =>
        string.Create(CultureInfo.InvariantCulture, $"{hour.UtcDateTime:yyyy/MM/dd/HH}/{Uri.EscapeDataString(vin)}.jsonl");

    public async Task AppendAsync(string vin, DateTimeOffset hour, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var container = await _archive.Value;
        var path = ArchivePath(vin, hour);
        var blob = container.GetAppendBlobClient(path);

        // One create per blob per process, not one per batch: it is a storage round trip.
        if (!_created.ContainsKey(path))
        {
            await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _created[path] = true;
        }

        using var buffer = new MemoryStream();
        foreach (var message in messages)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(message, TelemetryJsonContext.Default.ArchivedMessage);
            if (buffer.Length + line.Length + 1 > MaxBlockBytes && buffer.Length > 0)
            {
                await FlushAsync(blob, buffer, cancellationToken);
            }

            buffer.Write(line);
            buffer.WriteByte((byte)'\n');
        }

        if (buffer.Length > 0)
        {
            await FlushAsync(blob, buffer, cancellationToken);
        }
    }

    public async Task ParkAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        var container = await _deadLetters.Value;
        var m = deadLetter.Message;

        // The name is deterministic, so parking the same message again (a replay) overwrites it.
        var name = string.Create(CultureInfo.InvariantCulture, $"{m.EnqueuedTime.UtcDateTime:yyyy/MM/dd}/{Uri.EscapeDataString(string.IsNullOrEmpty(m.DeviceId) ? "_unknown" : m.DeviceId)}-{m.PartitionId}-{m.SequenceNumber}.json");
        var json = JsonSerializer.Serialize(deadLetter, TelemetryJsonContext.Default.DeadLetter);
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(json), overwrite: true, cancellationToken);
    }

    private static async Task FlushAsync(AppendBlobClient blob, MemoryStream buffer, CancellationToken cancellationToken)
    {
        buffer.Position = 0;
        await blob.AppendBlockAsync(buffer, cancellationToken: cancellationToken);
        buffer.SetLength(0);
    }

    private static async Task<BlobContainerClient> CreateAsync(StorageClients clients, string name)
    {
        var container = clients.GetContainer(name);
        await container.CreateIfNotExistsAsync();
        return container;
    }
}
