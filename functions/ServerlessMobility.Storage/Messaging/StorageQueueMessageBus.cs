using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Queues;
using ServerlessMobility.Platform.Messaging;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Storage.Messaging;

/// <summary>
/// <see cref="IMessageBus"/> over Azure Storage queues: one queue per topic (the local stand-in for a
/// Service Bus topic). A publish returns only after the queue accepted the message; a crash before that
/// means the caller retries and publishes again with the same EventId: at least once, consumers dedupe.
/// </summary>
public sealed class StorageQueueMessageBus(StorageClients clients) : IMessageBus
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);

    public async Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var queue = await _queues.GetOrAdd(integrationEvent.Topic, topic => new Lazy<Task<QueueClient>>(async () =>
        {
            var client = clients.GetQueue(topic);
            await client.CreateIfNotExistsAsync();
            return client;
        })).Value;
        await queue.SendMessageAsync(JsonSerializer.Serialize(integrationEvent, MessagingJsonContext.Default.IntegrationEvent), cancellationToken);
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(IntegrationEvent))]
internal sealed partial class MessagingJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
