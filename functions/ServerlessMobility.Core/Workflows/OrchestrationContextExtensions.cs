using Microsoft.DurableTask;

namespace ServerlessMobility.Core.Workflows;

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

    /// <summary>Task options that retry a failed activity by <paramref name="policy"/>, on durable timers.</summary>
    public static TaskOptions Retry(this RetryPolicy policy) => TaskOptions.FromRetryPolicy(policy);
}
