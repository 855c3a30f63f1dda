namespace ServerlessMobility.Platform.Messaging;

/// <summary>
/// Publishes integration events: Service Bus topics in Azure, Azure Storage queues locally. Delivery is
/// at least once, so every handler must be idempotent on <see cref="IntegrationEvent.EventId"/>.
/// </summary>
public interface IMessageBus
{
    Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken = default);
}

/// <summary>An event another part of the platform reacts to. The payload is JSON.</summary>
/// <param name="EventId">Stable id: publishing the same fact twice must reuse it.</param>
/// <param name="Topic">The topic, for example "risk-events".</param>
/// <param name="EventType">The type of event, for example "telemetry.speeding".</param>
public sealed record IntegrationEvent(string EventId, string Topic, string EventType, string TenantId, DateTimeOffset OccurredAt, string PayloadJson);
