using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ServerlessMobility.Platform.LiveUpdates;

/// <summary>
/// In-process fan-out of messages to the live clients (server-sent events) connected to this instance, grouped by a key
/// (a dealership, a vehicle), one bounded channel per client: a client too slow to keep up loses the oldest messages
/// and never blocks the writer that published them. It reaches only this instance's clients: where several instances
/// run, a module also sends to Azure SignalR Service (<see cref="AzureSignalR.AzureSignalRClient"/>), which every instance shares.
/// </summary>
/// <param name="clientBuffer">How many unread messages a client may fall behind before it loses the oldest.</param>
public sealed class KeyedFanOut<T>(int clientBuffer)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<T>, byte>> _subscribers = new(StringComparer.Ordinal);

    public int SubscriberCount(string key) => _subscribers.TryGetValue(key, out var set) ? set.Count : 0;

    public void Publish(string key, T message)
    {
        if (_subscribers.TryGetValue(key, out var set))
        {
            foreach (var channel in set.Keys)
            {
                channel.Writer.TryWrite(message);
            }
        }
    }

    /// <summary>The messages published under <paramref name="key"/> from the first move of the enumerator on, until <paramref name="cancellationToken"/> ends it.</summary>
    public async IAsyncEnumerable<T> SubscribeAsync(string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(clientBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var set = _subscribers.GetOrAdd(key, _ => new ConcurrentDictionary<Channel<T>, byte>());
        set[channel] = 0;
        try
        {
            await foreach (var message in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return message;
            }
        }
        finally
        {
            set.TryRemove(channel, out _);
        }
    }
}
