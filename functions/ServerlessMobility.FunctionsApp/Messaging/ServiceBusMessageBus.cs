using Azure.Messaging.ServiceBus;
using ServerlessMobility.Platform.Messaging;

namespace ServerlessMobility.FunctionsApp.Messaging;

/// <summary>
/// Integration events on Service Bus topics. The event id becomes the message id, so Service Bus
/// duplicate detection and idempotent subscribers both see a republished event as the same one.
/// </summary>
public sealed class ServiceBusMessageBus(ServiceBusClient client) : IMessageBus, IAsyncDisposable
{
    private readonly Dictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        ServiceBusSender sender;
        lock (_gate)
        {
            if (!_senders.TryGetValue(integrationEvent.Topic, out sender!))
            {
                sender = client.CreateSender(integrationEvent.Topic);
                _senders[integrationEvent.Topic] = sender;
            }
        }

        var message = new ServiceBusMessage(BinaryData.FromString(integrationEvent.PayloadJson))
        {
            MessageId = integrationEvent.EventId,
            Subject = integrationEvent.EventType,
            ContentType = "application/json",
            ApplicationProperties = { ["tenantId"] = integrationEvent.TenantId, ["occurredAt"] = integrationEvent.OccurredAt },
        };
        return sender.SendMessageAsync(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
    }
}
