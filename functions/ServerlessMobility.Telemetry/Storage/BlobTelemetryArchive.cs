using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Telemetry.Storage;

/// <summary>
/// The raw archive, laid out like IoT Hub's storage routing ({yyyy}/{MM}/{dd}/{HH}/...): per vehicle and hour,
/// one block blob per run of messages written in one batch, JSON lines, named by the run's first message
/// ({vin}/{partition}-{sequence}.jsonl). Idempotent per message: a retried or replayed batch writes the same
/// names again and replaces them, so the archive never grows on retries. (A run that is retried shorter, after
/// a poison message was isolated, replaces its blob with fewer lines; the rest is written under the name of its
/// own first message.) Dead letters: one blob per message, named by <see cref="DeadLetter.Id"/>.
/// </summary>
public sealed class BlobTelemetryArchive(StorageClients clients) : IRawTelemetryArchive, ITelemetryDeadLetterSink
{
    private readonly Lazy<Task<BlobContainerClient>> _archive = new(() => CreateAsync(clients, "telemetry-archive"));
    private readonly Lazy<Task<BlobContainerClient>> _deadLetters = new(() => CreateAsync(clients, "telemetry-deadletter"));

    /// <summary>The folder of a vehicle's hour; device input only ever appears escaped (<see cref="StorageKeys"/>).</summary>
    public static string ArchiveFolder(string vin, DateTimeOffset hour) =>
        string.Create(CultureInfo.InvariantCulture, $"{hour.UtcDateTime:yyyy/MM/dd/HH}/{StorageKeys.Escape(vin)}/");

    public static string ArchivePath(string vin, DateTimeOffset hour, ArchivedMessage first)
    {
        ArgumentNullException.ThrowIfNull(first);
        return string.Create(CultureInfo.InvariantCulture, $"{ArchiveFolder(vin, hour)}{StorageKeys.Escape(first.PartitionId)}-{first.SequenceNumber:D19}.jsonl");
    }

    public static string DeadLetterPath(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return string.Create(CultureInfo.InvariantCulture, $"{deadLetter.Message.EnqueuedTime.UtcDateTime:yyyy/MM/dd}/{deadLetter.Id}.json");
    }

    public async Task WriteAsync(string vin, DateTimeOffset hour, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var container = await _archive.Value;
        using var buffer = new MemoryStream();
        foreach (var message in messages)
        {
            buffer.Write(JsonSerializer.SerializeToUtf8Bytes(message, TelemetryJsonContext.Default.ArchivedMessage));
            buffer.WriteByte((byte)'\n');
        }

        buffer.Position = 0;
        await container.GetBlobClient(ArchivePath(vin, hour, messages[0])).UploadAsync(buffer, overwrite: true, cancellationToken);
    }

    public async Task ParkAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        var container = await _deadLetters.Value;

        // The name is the dead letter's id (a hash of device, partition and sequence number), so parking the
        // same message again (a replay, a retry) overwrites it: one dead letter per message.
        var json = JsonSerializer.Serialize(deadLetter, TelemetryJsonContext.Default.DeadLetter);
        await container.GetBlobClient(DeadLetterPath(deadLetter)).UploadAsync(BinaryData.FromString(json), overwrite: true, cancellationToken);
    }

    private static async Task<BlobContainerClient> CreateAsync(StorageClients clients, string name)
    {
        var container = clients.GetContainer(name);
        await container.CreateIfNotExistsAsync();
        return container;
    }
}
