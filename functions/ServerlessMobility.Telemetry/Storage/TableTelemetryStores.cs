using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.Telemetry.Storage;

/// <summary>Creates a table on first use only, so a fresh storage account (or Azurite) needs no set-up step.</summary>
internal sealed class LazyTable(StorageClients clients, string name)
{
    private readonly Lazy<Task<TableClient>> _table = new(async () =>
    {
        var table = clients.GetTable(name);
        await table.CreateIfNotExistsAsync();
        return table;
    });

    public Task<TableClient> GetAsync() => _table.Value;
}

/// <summary>Latest state per vehicle: PartitionKey = VIN (escaped like every key here: <see cref="StorageKeys"/>), RowKey = "state"; the flat columns serve ad-hoc queries, "Json" is authoritative.</summary>
public sealed class TableTelemetryStateStore(StorageClients clients) : ITelemetryStateStore
{
    private const string RowKey = "state";
    private readonly LazyTable _table = new(clients, "VehicleState");

    public async Task<VehicleTelemetryState?> GetAsync(string vin, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync();
        var response = await table.GetEntityIfExistsAsync<TableEntity>(StorageKeys.Escape(vin), RowKey, cancellationToken: cancellationToken);
        return response.HasValue ? Deserialize(response.Value!) : null;
    }

    public async Task SaveAsync(VehicleTelemetryState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var table = await _table.GetAsync();
        var entity = new TableEntity(StorageKeys.Escape(state.Vin), RowKey)
        {
            ["TenantId"] = state.TenantId,
            ["Lat"] = state.Lat,
            ["Lon"] = state.Lon,
            ["SpeedKmh"] = state.SpeedKmh,
            ["OdometerKm"] = state.OdometerKm,
            ["LastSeenAt"] = state.LastSeenAt,
            ["FirmwareVersion"] = state.FirmwareVersion,
            ["Json"] = JsonSerializer.Serialize(state, TelemetryJsonContext.Default.VehicleTelemetryState),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<VehicleTelemetryState> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.RowKey == RowKey, cancellationToken: cancellationToken))
        {
            if (Deserialize(entity) is { } state)
            {
                yield return state;
            }
        }
    }

    private static VehicleTelemetryState? Deserialize(TableEntity entity) =>
        entity.GetString("Json") is { } json ? JsonSerializer.Deserialize(json, TelemetryJsonContext.Default.VehicleTelemetryState) : null;
}

/// <summary>Daily aggregates: PartitionKey = VIN, RowKey = yyyy-MM-dd (sorts by date, so a range is a key range).</summary>
public sealed class TableDailyAggregateStore(StorageClients clients) : IDailyAggregateStore
{
    private readonly LazyTable _table = new(clients, "VehicleDaily");

    public async Task UpsertAsync(DailyAggregate aggregate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var table = await _table.GetAsync();
        var entity = new TableEntity(StorageKeys.Escape(aggregate.Vin), Key(aggregate.Date))
        {
            ["DistanceKm"] = aggregate.DistanceKm,
            ["MaxSpeedKmh"] = aggregate.MaxSpeedKmh,
            ["DrivingSeconds"] = aggregate.DrivingSeconds,
            ["MessageCount"] = aggregate.MessageCount,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<DailyAggregate>> QueryAsync(string vin, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync();
        var (low, high) = (Key(from), Key(to));
        var result = new List<DailyAggregate>();
        var partitionKey = StorageKeys.Escape(vin);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey && e.RowKey.CompareTo(low) >= 0 && e.RowKey.CompareTo(high) <= 0, cancellationToken: cancellationToken))
        {
            result.Add(new DailyAggregate(
                vin,
                DateOnly.ParseExact(e.RowKey, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                e.GetDouble("DistanceKm") ?? 0,
                e.GetDouble("MaxSpeedKmh") ?? 0,
                e.GetDouble("DrivingSeconds") ?? 0,
                e.GetInt64("MessageCount") ?? 0));
        }

        return result;
    }

    private static string Key(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Risk events: PartitionKey = VIN, RowKey = occurred-at ticks + event id, so a time range is a key range and a replay overwrites.</summary>
public sealed class TableRiskEventStore(StorageClients clients) : IRiskEventStore
{
    private readonly LazyTable _table = new(clients, "RiskEvents");

    public async Task SaveAsync(IReadOnlyList<RiskEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var table = await _table.GetAsync();
        foreach (var riskEvent in events)
        {
            var entity = new TableEntity(StorageKeys.Escape(riskEvent.Vin), TimeKey(riskEvent.OccurredAt) + "_" + StorageKeys.Escape(riskEvent.EventId))
            {
                ["Json"] = JsonSerializer.Serialize(riskEvent, TelemetryJsonContext.Default.RiskEvent),
                ["Rule"] = riskEvent.Rule,
                ["TenantId"] = riskEvent.TenantId,
            };
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<RiskEvent>> QueryAsync(string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync();
        var (low, high) = (TimeKey(from), TimeKey(to) + "_\uffff");
        var result = new List<RiskEvent>();
        var partitionKey = StorageKeys.Escape(vin);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey && e.RowKey.CompareTo(low) >= 0 && e.RowKey.CompareTo(high) <= 0, cancellationToken: cancellationToken))
        {
            if (e.GetString("Json") is { } json && JsonSerializer.Deserialize(json, TelemetryJsonContext.Default.RiskEvent) is { } riskEvent)
            {
                result.Add(riskEvent);
            }
        }

        return result;
    }

    private static string TimeKey(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}

/// <summary>
/// Geofences: PartitionKey = VIN, RowKey = geofence id. The pipeline reads a vehicle's zones every
/// batch, so reads are cached briefly; writes through this instance refresh the cache at once.
/// </summary>
public sealed class TableGeofenceStore(StorageClients clients, TimeProvider timeProvider) : IGeofenceStore
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly LazyTable _table = new(clients, "Geofences");
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, IReadOnlyList<Geofence> Zones)> _cache = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<Geofence>> ListAsync(string vin, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(vin, out var cached) && cached.Expires > now)
        {
            return cached.Zones;
        }

        var table = await _table.GetAsync();
        var zones = new List<Geofence>();
        var partitionKey = StorageKeys.Escape(vin);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey, cancellationToken: cancellationToken))
        {
            if (e.GetString("Json") is { } json && JsonSerializer.Deserialize(json, TelemetryJsonContext.Default.Geofence) is { } zone)
            {
                zones.Add(zone);
            }
        }

        _cache[vin] = (now + CacheFor, zones);
        return zones;
    }

    public async Task UpsertAsync(Geofence geofence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(geofence);
        var table = await _table.GetAsync();
        await table.UpsertEntityAsync(new TableEntity(StorageKeys.Escape(geofence.Vin), StorageKeys.Escape(geofence.Id)) { ["Json"] = JsonSerializer.Serialize(geofence, TelemetryJsonContext.Default.Geofence) }, TableUpdateMode.Replace, cancellationToken);
        _cache.TryRemove(geofence.Vin, out _);
    }

    public async Task<bool> DeleteAsync(string vin, string geofenceId, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync();
        _cache.TryRemove(vin, out _);
        var (partitionKey, rowKey) = (StorageKeys.Escape(vin), StorageKeys.Escape(geofenceId));
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return false;
        }

        await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        return true;
    }
}

/// <summary>
/// The vehicle registry: PartitionKey = VIN, RowKey = "registration" (every module's point read by VIN); beside it a
/// tenant index, table "VehiclesByTenant", PartitionKey = tenant, RowKey = VIN, so a dealership's list is one
/// partition. The registration is written first and is the truth: a listed VIN whose registration names another
/// tenant (a move cut off half-way) is left out of the list and its row removed, so a list never shows another
/// dealership's vehicle.
/// </summary>
public sealed class TableVehicleRegistry(StorageClients clients) : IVehicleRegistry
{
    private const string RowKey = "registration";
    private readonly LazyTable _table = new(clients, "Vehicles");
    private readonly LazyTable _byTenant = new(clients, "VehiclesByTenant");

    public async Task<VehicleRegistration?> GetAsync(string vin, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync();
        var response = await table.GetEntityIfExistsAsync<TableEntity>(StorageKeys.Escape(vin), RowKey, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(vin, response.Value!) : null;
    }

    public async Task UpsertAsync(VehicleRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var table = await _table.GetAsync();
        var before = await GetAsync(registration.Vin, cancellationToken);
        await table.UpsertEntityAsync(ToEntity(StorageKeys.Escape(registration.Vin), RowKey, registration), TableUpdateMode.Replace, cancellationToken);

        var index = await _byTenant.GetAsync();
        await index.UpsertEntityAsync(ToEntity(StorageKeys.Escape(registration.TenantId), StorageKeys.Escape(registration.Vin), registration), TableUpdateMode.Replace, cancellationToken);
        if (before is not null && !string.Equals(before.TenantId, registration.TenantId, StringComparison.Ordinal))
        {
            await index.DeleteEntityAsync(StorageKeys.Escape(before.TenantId), StorageKeys.Escape(registration.Vin), ETag.All, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<VehicleRegistration>> ListAsync(string tenantId, string? after, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        var index = await _byTenant.GetAsync();
        var partition = StorageKeys.Escape(tenantId);
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {StorageKeys.Escape(after)}");
        var listed = new List<VehicleRegistration>(take);
        await foreach (var row in index.QueryAsync<TableEntity>(filter, maxPerPage: take, cancellationToken: cancellationToken))
        {
            var vin = row.GetString("Vin") ?? row.RowKey;
            var registration = await GetAsync(vin, cancellationToken);
            if (registration is null || !string.Equals(registration.TenantId, tenantId, StringComparison.Ordinal))
            {
                await index.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                continue;
            }

            listed.Add(registration);
            if (listed.Count == take)
            {
                break;
            }
        }

        return listed;
    }

    private static TableEntity ToEntity(string partitionKey, string rowKey, VehicleRegistration registration) => new(partitionKey, rowKey)
    {
        ["Vin"] = registration.Vin,
        ["TenantId"] = registration.TenantId,
        ["OwnerSubject"] = registration.OwnerSubject,
        ["Model"] = registration.Model,
        ["RegisteredAt"] = registration.RegisteredAt,
    };

    private static VehicleRegistration FromEntity(string vin, TableEntity e) =>
        new(vin, e.GetString("TenantId") ?? string.Empty, e.GetString("OwnerSubject"), e.GetString("Model"), e.GetDateTimeOffset("RegisteredAt") ?? DateTimeOffset.MinValue);
}
