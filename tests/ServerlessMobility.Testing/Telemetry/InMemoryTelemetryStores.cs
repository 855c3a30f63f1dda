using System.Collections.Concurrent;
using ServerlessMobility.Platform.Messaging;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.Testing.Telemetry;

/// <summary>
/// In-memory stand-ins for every telemetry port: for unit tests and for the pipeline-alone benchmark,
/// where the pipeline's own cost must be measured without storage. Test code only: no host wires them.
/// </summary>
public sealed class InMemoryTelemetryStores : ITelemetryStateStore, IDailyAggregateStore, IRiskEventStore, IGeofenceStore, IVehicleRegistry, IRawTelemetryArchive, ITelemetryDeadLetterSink, IMessageBus
{
    private readonly ConcurrentDictionary<string, VehicleTelemetryState> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Vin, DateOnly Date), DailyAggregate> _aggregates = new();
    private readonly ConcurrentDictionary<string, RiskEvent> _riskEvents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Geofence>> _geofences = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VehicleRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeadLetter> _deadLetters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Vin, DateTimeOffset Hour, string Partition, long Sequence), int> _archived = new();
    private long _archivedCount;

    /// <summary>When false, nothing is retained but counts (benchmarks).</summary>
    public bool Retain { get; init; } = true;

    /// <summary>One per message (keyed by <see cref="DeadLetter.Id"/>), as in the blob store.</summary>
    public IReadOnlyCollection<DeadLetter> DeadLetters => [.. _deadLetters.Values];

    public ConcurrentQueue<IntegrationEvent> Published { get; } = new();

    /// <summary>Messages in the archive (when retained, as the blob archive holds them: retries do not add).</summary>
    public long ArchivedCount => Retain ? _archived.Values.Sum() : Interlocked.Read(ref _archivedCount);

    public IReadOnlyCollection<RiskEvent> RiskEvents => [.. _riskEvents.Values];

    public Task<VehicleTelemetryState?> GetAsync(string vin, CancellationToken cancellationToken) =>
        Task.FromResult(_states.TryGetValue(vin, out var state) ? state.Clone() : null);

    public Task SaveAsync(VehicleTelemetryState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Retain)
        {
            _states[state.Vin] = state.Clone();
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<VehicleTelemetryState> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var state in _states.Values)
        {
            yield return state.Clone();
        }
    }

    public Task UpsertAsync(DailyAggregate aggregate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        if (Retain)
        {
            _aggregates[(aggregate.Vin, aggregate.Date)] = aggregate;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DailyAggregate>> QueryAsync(string vin, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DailyAggregate>>([.. _aggregates.Values.Where(a => a.Vin == vin && a.Date >= from && a.Date <= to).OrderBy(a => a.Date)]);

    public Task SaveAsync(IReadOnlyList<RiskEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var riskEvent in events)
        {
            _riskEvents[riskEvent.EventId] = riskEvent;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RiskEvent>> QueryAsync(string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RiskEvent>>([.. _riskEvents.Values.Where(e => e.Vin == vin && e.OccurredAt >= from && e.OccurredAt <= to).OrderBy(e => e.OccurredAt)]);

    public Task<IReadOnlyList<Geofence>> ListAsync(string vin, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Geofence>>(_geofences.TryGetValue(vin, out var set) ? [.. set.Values.OrderBy(g => g.Id, StringComparer.Ordinal)] : []);

    public Task UpsertAsync(Geofence geofence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(geofence);
        _geofences.GetOrAdd(geofence.Vin, _ => new(StringComparer.Ordinal))[geofence.Id] = geofence;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string vin, string geofenceId, CancellationToken cancellationToken) =>
        Task.FromResult(_geofences.TryGetValue(vin, out var set) && set.TryRemove(geofenceId, out _));

    Task<VehicleRegistration?> IVehicleRegistry.GetAsync(string vin, CancellationToken cancellationToken) =>
        Task.FromResult(_registrations.TryGetValue(vin, out var registration) ? registration : null);

    public Task UpsertAsync(VehicleRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        _registrations[registration.Vin] = registration;
        return Task.CompletedTask;
    }

    Task<IReadOnlyList<VehicleRegistration>> IVehicleRegistry.ListAsync(string tenantId, string? after, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VehicleRegistration>>([.. _registrations.Values
            .Where(r => r.TenantId == tenantId && (after is null || string.CompareOrdinal(r.Vin, after) > 0))
            .OrderBy(r => r.Vin, StringComparer.Ordinal)
            .Take(take)]);

    public Task WriteAsync(string vin, DateTimeOffset hour, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!Retain)
        {
            Interlocked.Add(ref _archivedCount, messages.Count);
            return Task.CompletedTask;
        }

        // Like the blob archive: one run per vehicle, hour and first message, replaced when written again.
        if (messages.Count > 0)
        {
            _archived[(vin, hour, messages[0].PartitionId, messages[0].SequenceNumber)] = messages.Count;
        }

        return Task.CompletedTask;
    }

    public Task ParkAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        _deadLetters[deadLetter.Id] = deadLetter;
        return Task.CompletedTask;
    }

    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken = default)
    {
        if (Retain)
        {
            Published.Enqueue(integrationEvent);
        }

        return Task.CompletedTask;
    }
}
