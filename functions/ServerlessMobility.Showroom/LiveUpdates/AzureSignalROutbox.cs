using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Showroom.LiveUpdates;

/// <summary>One send to Azure SignalR, queued by a writer and done later by <see cref="AzureSignalRSender"/>.</summary>
/// <param name="What">For the log: what is sent to which group (no payload).</param>
public sealed record LiveDelivery(string What, Func<CancellationToken, Task> SendAsync);

/// <summary>
/// The sends waiting for Azure SignalR. Writers publish synchronously from their request: a change is queued and the
/// request goes on. When the service falls behind, the oldest waiting sends are dropped (a live screen wants the latest
/// state, and the next change or a reconnect brings it up to date), never the writer's request.
/// </summary>
public sealed partial class AzureSignalROutbox
{
    private readonly Channel<LiveDelivery> _queue;
    private readonly ILogger<AzureSignalROutbox> _logger;

    public AzureSignalROutbox(IOptions<ShowroomLiveOptions> options, ILogger<AzureSignalROutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _queue = Channel.CreateBounded<LiveDelivery>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, dropped => LogDropped(_logger, dropped.What));
    }

    public ChannelReader<LiveDelivery> Reader => _queue.Reader;

    public void Enqueue(LiveDelivery delivery) => _queue.Writer.TryWrite(delivery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure SignalR is behind: dropped the oldest waiting send ({What})")]
    private static partial void LogDropped(ILogger logger, string what);
}

/// <summary>Sends what <see cref="AzureSignalROutbox"/> holds, one at a time and in order; a failed send is logged and the next goes on.</summary>
public sealed partial class AzureSignalRSender(AzureSignalROutbox outbox, ILogger<AzureSignalRSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in outbox.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await delivery.SendAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The service, or a board read before the send, failed this once: clients catch up with the next change.
                LogFailed(logger, e, delivery.What);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure SignalR send failed ({What})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
