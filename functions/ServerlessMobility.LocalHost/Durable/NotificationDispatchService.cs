using Microsoft.Extensions.Options;
using ServerlessMobility.Core.Notifications;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The local host's schedule for <see cref="NotificationDispatcher"/>: deferred (quiet hours) and retried messages
/// go out within Notifications:DispatchInterval of their time (the Functions app runs the same on a timer trigger).
/// </summary>
public sealed partial class NotificationDispatchService(NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider time,
    ILogger<NotificationDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DispatchInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await dispatcher.DispatchDueAsync(stoppingToken);
                }
#pragma warning disable CA1031 // the loop must survive a failed round (storage briefly unavailable)
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogDispatchFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification dispatch round failed; the next one tries again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
