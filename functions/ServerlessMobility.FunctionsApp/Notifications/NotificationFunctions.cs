using Microsoft.Azure.Functions.Worker;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.FunctionsApp.Notifications;

/// <summary>
/// Sends deferred (quiet hours) and retried notifications whose time has come; the local host runs the same
/// dispatcher as a background loop (Notifications:DispatchInterval).
/// </summary>
public sealed class NotificationFunctions(NotificationDispatcher dispatcher)
{
    [Function("DispatchNotifications")]
    public Task DispatchNotifications([TimerTrigger("*/30 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        dispatcher.DispatchDueAsync(cancellationToken);
}
