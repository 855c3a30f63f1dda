namespace ServerlessMobility.Core.Telemetry;

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

/// <summary>Raw archive in blobs: {yyyy}/{MM}/{dd}/{HH}/{vin}.jsonl, appended one block per vehicle per batch.</summary>
public interface IRawTelemetryArchive
{
    Task AppendAsync(string vin, DateTimeOffset hour, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken);
}

public sealed record DeadLetter(string Reason, ArchivedMessage Message);

/// <summary>Parks malformed messages with the reason, so the batch goes on.</summary>
public interface ITelemetryDeadLetterSink
{
    Task ParkAsync(DeadLetter deadLetter, CancellationToken cancellationToken);
}

/// <summary>Who a vehicle belongs to: the tenant (dealership) and, if known, the owning customer.</summary>
public sealed record VehicleRegistration(string Vin, string TenantId, string? OwnerSubject, string? Model, DateTimeOffset RegisteredAt);

public interface IVehicleRegistry
{
    Task<VehicleRegistration?> GetAsync(string vin, CancellationToken cancellationToken);

    Task UpsertAsync(VehicleRegistration registration, CancellationToken cancellationToken);
}
