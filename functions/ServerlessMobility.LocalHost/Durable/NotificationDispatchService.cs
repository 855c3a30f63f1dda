using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The local host's schedule for <see cref="NotificationDispatcher"/>: deferred (quiet hours) and retried messages
/// go out within Notifications:DispatchInterval of their time (the Functions app runs the same on a timer trigger).
/// </summary>
public sealed class NotificationDispatchService(NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider time,
    ILogger<NotificationDispatchService> logger) : PeriodicRound(options.Value.DispatchInterval, time, logger)
{
    protected override string RoundName => "A notification dispatch round";

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => dispatcher.DispatchDueAsync(cancellationToken);
}
