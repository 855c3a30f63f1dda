namespace ServerlessMobility.Core.Workflows;

/// <summary>
/// Durable Functions' retry options: attempt N+1 waits FirstRetryInterval * BackoffCoefficient^(N-1),
/// capped by MaxRetryInterval, and no new attempt starts once RetryTimeout has elapsed since the first.
/// </summary>
public sealed record RetryPolicy
{
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null, TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(6);
        RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    public int MaxNumberOfAttempts { get; }

    public TimeSpan FirstRetryInterval { get; }

    public double BackoffCoefficient { get; }

    public TimeSpan MaxRetryInterval { get; }

    /// <summary><see cref="Timeout.InfiniteTimeSpan"/> when attempts alone limit the retries.</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Decides whether a failure is worth another attempt; null retries every failure.</summary>
    public Func<WorkflowFailureDetails, bool>? Handle { get; init; }

    /// <summary>
    /// The delay before the next attempt, or null when no further attempt is allowed.
    /// </summary>
    /// <param name="failedAttempts">Attempts made so far (1 after the first failure).</param>
    /// <param name="elapsedSinceFirstAttempt">Workflow time since the first attempt started.</param>
    /// <param name="failure">The failure of the last attempt.</param>
    public TimeSpan? NextDelay(int failedAttempts, TimeSpan elapsedSinceFirstAttempt, WorkflowFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failedAttempts >= MaxNumberOfAttempts)
        {
            return null;
        }

        if (Handle is not null && !Handle(failure))
        {
            return null;
        }

        var delayTicks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, failedAttempts - 1);
        var delay = delayTicks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)delayTicks);
        if (RetryTimeout != Timeout.InfiniteTimeSpan && elapsedSinceFirstAttempt + delay > RetryTimeout)
        {
            return null;
        }

        return delay;
    }
}
