using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ServerlessMobility.Platform.Messaging;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.Telemetry;

/// <summary>Counts of one batch, for logs, metrics and tests.</summary>
public sealed record TelemetryBatchResult(int Processed, int Duplicates, int Malformed, int RiskEvents, int Vehicles);

/// <summary>
/// The host-agnostic ingestion pipeline. One batch: group by vehicle, keep each vehicle's order,
/// process vehicles in parallel, and write each vehicle's state once per batch (coalesced).
/// Write order per vehicle — dead letters, archive, risk events (store, then bus), aggregates, state
/// with the high-water marks last — makes a crash at any point safe to replay: everything before the
/// state write is idempotent (deterministic ids and blob names, the archive keyed by the first message of
/// each run). A vehicle whose writes fail does not stop the others: see <see cref="TelemetryBatchException"/>
/// and <see cref="TelemetryBatchRunner"/>, which isolates a poison message.
/// </summary>
public sealed class TelemetryPipeline(
    ITelemetryStateStore stateStore,
    IDailyAggregateStore aggregateStore,
    IRiskEventStore riskEventStore,
    IGeofenceStore geofenceStore,
    IVehicleRegistry registry,
    IRawTelemetryArchive archive,
    ITelemetryDeadLetterSink deadLetters,
    IMessageBus bus,
    VehicleStateBroadcaster broadcaster,
    RiskRuleOptions options,
    TimeProvider timeProvider,
    IEnumerable<IVehicleReadingObserver>? observers = null)
{
    public const string RiskEventsTopic = "risk-events";
    private const int RecentMessageIdCapacity = 128;

    // The consumer owns its partitions, so its cached view of a vehicle is authoritative between batches.
    private readonly ConcurrentDictionary<string, VehicleTelemetryState> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly IVehicleReadingObserver[] _observers = observers?.ToArray() ?? [];

    // Vehicles wait on storage round trips, not CPU, so many are in flight at once.
    public int MaxDegreeOfParallelism { get; init; } = 64;

    public async Task<TelemetryBatchResult> ProcessAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var byVehicle = new Dictionary<string, List<TelemetryMessage>>(StringComparer.Ordinal);
        var rejected = new List<DeadLetter>();
        foreach (var message in batch)
        {
            // The envelope is checked before the device id is used for anything (it becomes a storage key).
            if (TelemetryLimits.ValidateEnvelope(message) is { } reason)
            {
                rejected.Add(new DeadLetter(reason, ToArchived(message)));
                continue;
            }

            if (!byVehicle.TryGetValue(message.DeviceId, out var list))
            {
                byVehicle[message.DeviceId] = list = [];
            }

            list.Add(message);
        }

        foreach (var deadLetter in rejected)
        {
            await deadLetters.ParkAsync(deadLetter, cancellationToken);
        }

        // One vehicle's failure must not cancel the others: each vehicle runs to the end, and the failures
        // are reported together so the caller retries (or isolates) only the vehicles that failed.
        var totals = new int[4];
        var failures = new ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            byVehicle,
            new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism, CancellationToken = cancellationToken },
            async (pair, ct) =>
            {
                try
                {
                    var (processed, duplicates, malformed, events) = await ProcessVehicleAsync(pair.Key, pair.Value, ct);
                    Interlocked.Add(ref totals[0], processed);
                    Interlocked.Add(ref totals[1], duplicates);
                    Interlocked.Add(ref totals[2], malformed);
                    Interlocked.Add(ref totals[3], events);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    failures[pair.Key] = ex;
                }
            });

        var result = new TelemetryBatchResult(totals[0], totals[1], totals[2] + rejected.Count, totals[3], byVehicle.Count);
        if (!failures.IsEmpty)
        {
            throw new TelemetryBatchException(failures, result);
        }

        return result;
    }

    /// <summary>The periodic offline check (a timer trigger in Azure, a background loop locally).</summary>
    public async Task<int> CheckOfflineAsync(CancellationToken cancellationToken)
    {
        var raised = 0;
        var now = timeProvider.GetUtcNow();
        var vins = new List<string>();
        await foreach (var stored in stateStore.ListAsync(cancellationToken))
        {
            vins.Add(stored.Vin);
        }

        foreach (var vin in vins)
        {
            var gate = _locks.GetOrAdd(vin, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                var state = (await LoadAsync(vin, cancellationToken)).Clone();
                if (RiskRuleEngine.CheckOffline(state, now, options) is { } riskEvent)
                {
                    await EmitAsync([riskEvent], cancellationToken);
                    await stateStore.SaveAsync(state, cancellationToken);
                    _cache[vin] = state;
                    raised++;
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return raised;
    }

    /// <summary>Forget cached state (tests simulate a restart with it; stores stay as they are).</summary>
    public void ClearCache() => _cache.Clear();

    private async Task<(int Processed, int Duplicates, int Malformed, int Events)> ProcessVehicleAsync(string vin, List<TelemetryMessage> messages, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(vin, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Work on a copy: if a write fails, the cache still holds what is stored and the batch is retried whole.
            var state = (await LoadAsync(vin, cancellationToken)).Clone();
            if (string.IsNullOrEmpty(state.TenantId))
            {
                state.TenantId = (await registry.GetAsync(vin, cancellationToken))?.TenantId ?? string.Empty;
            }

            var geofences = await geofenceStore.ListAsync(vin, cancellationToken);
            var events = new List<RiskEvent>();
            var closedDays = new List<DailyAggregate>();
            var archived = new Dictionary<DateTimeOffset, List<ArchivedMessage>>();
            var parked = new List<DeadLetter>();
            var observed = new List<VehicleReading>();
            int processed = 0, duplicates = 0;

            // Within one partition the sequence number is the order IoT Hub accepted the messages in.
            messages.Sort(static (a, b) => a.PartitionId == b.PartitionId ? a.SequenceNumber.CompareTo(b.SequenceNumber) : a.EnqueuedTime.CompareTo(b.EnqueuedTime));
            foreach (var message in messages)
            {
                if (IsDuplicate(state, message))
                {
                    duplicates++;
                    continue;
                }

                Remember(state, message);
                var record = ToArchived(message);
                if (!TelemetryParser.TryParse(message.Body.Span, message.EnqueuedTime, out var reading, out var reason))
                {
                    parked.Add(new DeadLetter(reason!, record));
                    continue;
                }

                processed++;
                state.MessageCount++;
                var hour = new DateTimeOffset(message.EnqueuedTime.UtcDateTime.Date.AddHours(message.EnqueuedTime.UtcDateTime.Hour), TimeSpan.Zero);
                if (!archived.TryGetValue(hour, out var hourList))
                {
                    archived[hour] = hourList = [];
                }

                hourList.Add(record);
                observed.Add(new VehicleReading(reading!.Timestamp, reading.Lat, reading.Lon, reading.SpeedKmh));
                RiskRuleEngine.Apply(state, message, reading!, geofences, options, events, closedDays);
            }

            if (processed + parked.Count == 0)
            {
                return (0, duplicates, 0, 0);
            }

            foreach (var deadLetter in parked)
            {
                await deadLetters.ParkAsync(deadLetter, cancellationToken);
            }

            foreach (var (hour, records) in archived)
            {
                await archive.WriteAsync(vin, hour, records, cancellationToken);
            }

            await EmitAsync(events, cancellationToken);
            foreach (var day in closedDays)
            {
                await aggregateStore.UpsertAsync(day, cancellationToken);
            }

            if (state.Today is not null && processed > 0)
            {
                await aggregateStore.UpsertAsync(state.Today, cancellationToken);
            }

            // Before the state (and its high-water marks) is stored: a crash here replays the readings, which observers take once.
            if (observed.Count > 0)
            {
                foreach (var observer in _observers)
                {
                    await observer.OnReadingsAsync(state.TenantId, vin, observed, cancellationToken);
                }
            }

            await stateStore.SaveAsync(state, cancellationToken);
            _cache[vin] = state;
            if (processed > 0)
            {
                broadcaster.Publish(VehicleStateView.From(state));
            }

            return (processed, duplicates, parked.Count, events.Count);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<VehicleTelemetryState> LoadAsync(string vin, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(vin, out var cached))
        {
            return cached;
        }

        var stored = await stateStore.GetAsync(vin, cancellationToken) ?? new VehicleTelemetryState { Vin = vin };
        _cache[vin] = stored;
        return stored;
    }

    private async Task EmitAsync(List<RiskEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await riskEventStore.SaveAsync(events, cancellationToken);
        foreach (var riskEvent in events)
        {
            var payload = JsonSerializer.Serialize(riskEvent, TelemetryJsonContext.Default.RiskEvent);
            await bus.PublishAsync(new IntegrationEvent(riskEvent.EventId, RiskEventsTopic, "telemetry." + riskEvent.Rule, riskEvent.TenantId, riskEvent.OccurredAt, payload), cancellationToken);
        }
    }

    private static bool IsDuplicate(VehicleTelemetryState state, TelemetryMessage message)
    {
        if (state.HighWaterMarks.TryGetValue(message.PartitionId, out var mark) && message.SequenceNumber <= mark)
        {
            return true;
        }

        return message.MessageId is { Length: > 0 } id && state.RecentMessageIds.Contains(id, StringComparer.Ordinal);
    }

    private static void Remember(VehicleTelemetryState state, TelemetryMessage message)
    {
        state.HighWaterMarks[message.PartitionId] = message.SequenceNumber;
        if (message.MessageId is { Length: > 0 } id)
        {
            if (state.RecentMessageIds.Count >= RecentMessageIdCapacity)
            {
                state.RecentMessageIds.RemoveAt(0);
            }

            state.RecentMessageIds.Add(id);
        }
    }

    internal static ArchivedMessage ToArchived(TelemetryMessage message) =>
        new(message.DeviceId, message.EnqueuedTime, message.PartitionId, message.SequenceNumber, message.MessageId, message.Properties, Encoding.UTF8.GetString(message.Body.Span));
}

/// <summary>
/// Some vehicles of a batch failed; the others were processed and stored (their part of the batch is a
/// no-op when retried). <see cref="Failures"/> maps each failed vehicle to its error.
/// </summary>
public sealed class TelemetryBatchException : Exception
{
    public TelemetryBatchException()
        : this(new Dictionary<string, Exception>(), new TelemetryBatchResult(0, 0, 0, 0, 0))
    {
    }

    public TelemetryBatchException(string message)
        : base(message)
    {
        Failures = new Dictionary<string, Exception>();
        Partial = new TelemetryBatchResult(0, 0, 0, 0, 0);
    }

    public TelemetryBatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = new Dictionary<string, Exception>();
        Partial = new TelemetryBatchResult(0, 0, 0, 0, 0);
    }

    public TelemetryBatchException(IReadOnlyDictionary<string, Exception> failures, TelemetryBatchResult partial)
        : base($"{failures?.Count} vehicle(s) of the batch failed.", failures?.Values.FirstOrDefault())
    {
        ArgumentNullException.ThrowIfNull(failures);
        Failures = failures;
        Partial = partial;
    }

    public IReadOnlyDictionary<string, Exception> Failures { get; }

    /// <summary>What the vehicles that did not fail processed.</summary>
    public TelemetryBatchResult Partial { get; }
}
