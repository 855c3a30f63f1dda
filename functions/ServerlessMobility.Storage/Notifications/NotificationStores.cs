using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Security.Pii;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Notifications;

/// <summary>
/// Delivery records in Azure Tables, partition = tenant, row = delivery id. The insert (AddEntity, which fails
/// with 409 when the row exists) is the idempotency check: of two concurrent publishers only one creates it.
/// </summary>
public sealed class TableNotificationDeliveryStore(StorageClients storage) : INotificationDeliveryStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _table = storage.GetTable("NotificationDeliveries");
    private volatile bool _created;

    public async Task<(NotificationDelivery Delivery, bool Created)> AddOrGetAsync(NotificationDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _table.AddEntityAsync(ToEntity(delivery), cancellationToken).ConfigureAwait(false);
            return (delivery, true);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await GetAsync(delivery.TenantId, delivery.DeliveryId, cancellationToken).ConfigureAwait(false);
            return (existing ?? throw new InvalidOperationException($"Delivery {delivery.DeliveryId} exists but cannot be read."), false);
        }
    }

    public async Task<NotificationDelivery?> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = await _table.GetEntityIfExistsAsync<TableEntity>(tenantId, deliveryId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? FromEntity(entity.Value!) : null;
    }

    public async Task SaveAsync(NotificationDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(ToEntity(delivery), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NotificationDelivery>> ListForEventAsync(string tenantId, string eventId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<NotificationDelivery>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == tenantId && e["EventId"] == (object)eventId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(entity));
        }

        return result;
    }

    public async Task<IReadOnlyList<NotificationDelivery>> ListForDigestAsync(string tenantId, string digestKey, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<NotificationDelivery>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == tenantId && e["DigestKey"] == (object)digestKey, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(entity));
        }

        return result;
    }

    private static TableEntity ToEntity(NotificationDelivery delivery)
    {
        // Status, EventId and DigestKey as columns for queries; the record itself as JSON (its event can hold nested data).
        var entity = new TableEntity(delivery.TenantId, delivery.DeliveryId)
        {
            ["EventId"] = delivery.EventId,
            ["Status"] = delivery.Status.ToString(),
            ["Json"] = JsonSerializer.Serialize(delivery, Json),
        };
        if (delivery.DigestKey is not null)
        {
            entity["DigestKey"] = delivery.DigestKey;
        }

        return entity;
    }

    private static NotificationDelivery FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize<NotificationDelivery>(entity.GetString("Json"), Json) ?? throw new InvalidOperationException("Empty delivery row.");

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}

/// <summary>
/// Preferences in Azure Tables (partition = tenant, row = customer). They hold contact details, so the row
/// keeps them encrypted with the platform's PII key, as the rent-to-own customer record keeps the phone.
/// </summary>
public sealed class TableNotificationPreferenceStore(StorageClients storage, PiiProtector pii) : INotificationPreferenceStore
{
    private const string Purpose = "notifications.preferences";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _table = storage.GetTable("NotificationPreferences");
    private volatile bool _created;

    public async Task<NotificationPreferences?> GetAsync(string tenantId, string customerId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = await _table.GetEntityIfExistsAsync<TableEntity>(tenantId, customerId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? JsonSerializer.Deserialize<NotificationPreferences>(pii.Unprotect(entity.Value!.GetString("Protected"), Purpose), Json) : null;
    }

    public async Task SaveAsync(NotificationPreferences preferences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(new TableEntity(preferences.TenantId, preferences.CustomerId)
        {
            ["Protected"] = pii.Protect(JsonSerializer.Serialize(preferences, Json), Purpose),
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}

/// <summary>
/// Wake-ups as Azure Storage Queue messages made visible at their time (at most seven days ahead, the
/// service's limit; a later one wakes early and is put back by the service). A message is deleted only
/// after its delivery ran, so a crash mid-delivery makes it visible again; one that keeps failing is
/// dropped after <see cref="MaxDequeueCount"/> tries (the delivery record keeps its last error).
/// </summary>
public sealed partial class QueueDeliveryScheduler(StorageClients storage, TimeProvider time, ILogger<QueueDeliveryScheduler> logger) : IDeliveryScheduler
{
    private const int MaxDequeueCount = 10;
    private static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly QueueClient _queue = storage.GetQueue("notification-deliveries");
    private volatile bool _created;

    public async Task ScheduleAsync(string tenantId, string deliveryId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await EnsureQueueAsync(cancellationToken).ConfigureAwait(false);
        var delay = at - time.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxVisibilityDelay ? MaxVisibilityDelay : delay;
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new WakeUp(tenantId, deliveryId))));
        await _queue.SendMessageAsync(body, visibilityTimeout: delay, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DrainDueAsync(Func<string, string, CancellationToken, Task> deliver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        await EnsureQueueAsync(cancellationToken).ConfigureAwait(false);
        var handled = 0;
        while (true)
        {
            var batch = (await _queue.ReceiveMessagesAsync(32, Lease, cancellationToken).ConfigureAwait(false)).Value;
            if (batch.Length == 0)
            {
                return handled;
            }

            foreach (var message in batch)
            {
                var wakeUp = JsonSerializer.Deserialize<WakeUp>(Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText)));
                try
                {
                    if (wakeUp is not null)
                    {
                        await deliver(wakeUp.TenantId, wakeUp.DeliveryId, cancellationToken).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031 // one bad delivery must not stop the others; its message comes back after the lease
                catch (Exception ex) when (ex is not OperationCanceledException && message.DequeueCount < MaxDequeueCount)
#pragma warning restore CA1031
                {
                    LogDeliveryFailed(logger, ex, wakeUp?.DeliveryId, message.DequeueCount);
                    continue;
                }

                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                handled++;
            }
        }
    }

    private async Task EnsureQueueAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }

    private sealed record WakeUp(string TenantId, string DeliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} failed on wake-up {DequeueCount}; it comes back after the lease")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string? deliveryId, long dequeueCount);
}

/// <summary>
/// The local stand-in for SMS and push providers: each message as a JSON blob in the "notification-sink"
/// container at {tenant}/{channel}/{customer}/{delivery}.json, for a person (Azure Storage Explorer on
/// Azurite) or a test to read. The first copy wins, as a provider's deduplication would.
/// </summary>
public sealed class BlobMessageSink(StorageClients storage, NotificationChannel channel) : IMessageSender
{
    private readonly BlobContainerClient _container = storage.GetContainer("notification-sink");
    private volatile bool _created;

    public NotificationChannel Channel => channel;

    public static string PathOf(string tenantId, NotificationChannel channel, string customerId, string deliveryId) =>
        $"{tenantId}/{channel.ToString().ToLowerInvariant()}/{customerId}/{deliveryId}.json";

    public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_created)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }

        var path = PathOf(message.TenantId, message.Channel, message.CustomerId, message.DeliveryId);
        var body = new { message.DeliveryId, message.To, message.Content.Language, message.Content.Subject, message.Content.Text };
        try
        {
            await _container.GetBlobClient(path).UploadAsync(BinaryData.FromObjectAsJson(body), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already "sent": the same delivery id.
        }

        return path;
    }
}
