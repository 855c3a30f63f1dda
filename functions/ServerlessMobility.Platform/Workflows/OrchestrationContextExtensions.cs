using Microsoft.DurableTask;

namespace ServerlessMobility.Platform.Workflows;

/// <summary>
/// The platform keeps time as UTC <see cref="DateTimeOffset"/>; the SDK's orchestration context speaks
/// <see cref="DateTime"/>. These convert at the edge, reading only the replay-safe time of the context.
/// </summary>
public static class OrchestrationContextExtensions
{
    /// <summary>The replay-safe current time: the time of the history event being processed.</summary>
    public static DateTimeOffset UtcNow(this TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DateTimeOffset(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
    }

    /// <summary>A durable timer that fires at <paramref name="fireAt"/> (long ones are chained by the SDK).</summary>
    public static Task CreateTimer(this TaskOrchestrationContext context, DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CreateTimer(fireAt.UtcDateTime, cancellationToken);
    }

    /// <summary>
    /// Sleeps until <paramref name="at"/> by the context's clock. A durable timer on Azure Storage (and Azurite)
    /// may fire up to a second early, because a queue message's visibility delay is whole seconds and the step
    /// that follows takes its own time as the context's: an early timer sleeps again for the rest, so a month
    /// is billed only once it is over and a due date has really come.
    /// </summary>
    public static async Task SleepUntilAsync(this TaskOrchestrationContext context, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        while (context.UtcNow() < at)
        {
            await context.CreateTimer(at.UtcDateTime, CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits for one <paramref name="eventName"/> event until <paramref name="deadline"/> by the context's clock
    /// (an early timer waits again for the rest, as <see cref="SleepUntilAsync"/> explains).
    /// </summary>
    /// <returns>The event, or a wait that did not receive it once the deadline has passed.</returns>
    public static async Task<EventWait<T>> WaitForExternalEventUntilAsync<T>(this TaskOrchestrationContext context, string eventName, DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (var remaining = deadline - context.UtcNow(); remaining > TimeSpan.Zero; remaining = deadline - context.UtcNow())
        {
            try
            {
                return new EventWait<T>(true, await context.WaitForExternalEvent<T>(eventName, remaining));
            }
            catch (TaskCanceledException)
            {
                // The wait's timer fired: the loop looks at the time again.
            }
        }

        return default;
    }

    /// <summary>Task options that retry a failed activity by <paramref name="policy"/>, on durable timers.</summary>
    public static TaskOptions Retry(this RetryPolicy policy) => TaskOptions.FromRetryPolicy(policy);

    /// <summary>The longest wait between two tries of <see cref="ActivityRetry"/>.</summary>
    public static readonly TimeSpan MaxActivityRetryInterval = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The workflows' usual retry of a failed activity (a store or partner briefly away): five attempts, the first retry
    /// after <paramref name="firstRetry"/>, each wait doubling, none longer than <see cref="MaxActivityRetryInterval"/>.
    /// </summary>
    public static TaskOptions ActivityRetry(TimeSpan firstRetry) =>
        new RetryPolicy(5, firstRetry, backoffCoefficient: 2, maxRetryInterval: MaxActivityRetryInterval).Retry();
}

/// <summary>What a bounded wait for an external event ended with: the event, or (default) none before the deadline.</summary>
public readonly record struct EventWait<T>(bool Received, T? Payload);
