namespace ServerlessMobility.Telemetry;

/// <summary>Latest state per vehicle (Azure Table). One entity per vehicle.</summary>
public interface ITelemetryStateStore
{
    Task<VehicleTelemetryState?> GetAsync(string vin, CancellationToken cancellationToken);

    Task SaveAsync(VehicleTelemetryState state, CancellationToken cancellationToken);

    IAsyncEnumerable<VehicleTelemetryState> ListAsync(CancellationToken cancellationToken);
}

public interface IDailyAggregateStore
{
    Task UpsertAsync(DailyAggregate aggregate, CancellationToken cancellationToken);

    Task<IReadOnlyList<DailyAggregate>> QueryAsync(string vin, DateOnly from, DateOnly to, CancellationToken cancellationToken);
}

public interface IRiskEventStore
{
    /// <summary>Upsert by event id: storing the same event twice keeps one.</summary>
    Task SaveAsync(IReadOnlyList<RiskEvent> events, CancellationToken cancellationToken);

    Task<IReadOnlyList<RiskEvent>> QueryAsync(string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public interface IGeofenceStore
{
    Task<IReadOnlyList<Geofence>> ListAsync(string vin, CancellationToken cancellationToken);

    Task UpsertAsync(Geofence geofence, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string vin, string geofenceId, CancellationToken cancellationToken);
}

/// <summary>One raw message as archived: what IoT Hub's storage routing would write, as a JSON line.</summary>
public sealed record ArchivedMessage(
    string DeviceId,
    DateTimeOffset EnqueuedTime,
    string PartitionId,
    long SequenceNumber,
    string? MessageId,
    IReadOnlyDictionary<string, string> Properties,
    string Body);

/// <summary>
/// Raw archive in blobs, one blob per vehicle, hour and run of messages, named by the run's first message
/// (partition + sequence number). Idempotent per message: writing a run again (a retried batch) replaces
/// the blob instead of growing the archive.
/// </summary>
public interface IRawTelemetryArchive
{
    Task WriteAsync(string vin, DateTimeOffset hour, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken);
}

public sealed record DeadLetter(string Reason, ArchivedMessage Message)
{
    /// <summary>
    /// The dead letter's id: a hash of what identifies the message on the hub (device, partition, sequence
    /// number), so parking the same message again (a replay, a retry) replaces it: one dead letter per message.
    /// Device input never appears in it raw.
    /// </summary>
    public string Id => IdFor(Message);

    public static string IdFor(ArchivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{message.DeviceId}\n{message.PartitionId}\n{message.SequenceNumber}");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32];
    }
}

/// <summary>Parks messages that cannot be processed with the reason, so the partition goes on. Idempotent per <see cref="DeadLetter.Id"/>.</summary>
public interface ITelemetryDeadLetterSink
{
    Task ParkAsync(DeadLetter deadLetter, CancellationToken cancellationToken);
}

/// <summary>Tells a failure that may pass (a timeout, throttling, a 5xx) from one that will repeat (the service rejected the input).</summary>
public interface ITransientErrorDetector
{
    bool IsTransient(Exception exception);
}

