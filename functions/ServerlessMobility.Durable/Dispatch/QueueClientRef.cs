using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace ServerlessMobility.Durable.Dispatch;

/// <summary>A queue with the two ways a dispatcher finishes a message: delete it, or let it come back later.</summary>
internal sealed class QueueClientRef(QueueClient queue, TimeSpan deferral)
{
    public QueueClient Queue { get; } = queue;

    public async Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // Already deleted, or its visibility lapsed and another receive holds it: the duplicate is harmless.
        }
    }

    public async Task DeferAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: deferral, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // It will reappear by itself when its visibility lapses.
        }
    }
}
