namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// A round of work the local host runs every interval, where the Functions app runs the same work on a timer
/// trigger. A failed round is logged and the next one tries again: the loop must outlive storage being briefly
/// unavailable, as a timer trigger does.
/// </summary>
public abstract partial class PeriodicRound(TimeSpan interval, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>What the log says when a round fails, for example "The feature activation sweep".</summary>
    protected abstract string RoundName { get; }

    protected abstract Task RunRoundAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunRoundAsync(stoppingToken);
                }
#pragma warning disable CA1031 // the loop must survive a failed round (storage briefly unavailable)
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogRoundFailed(logger, ex, RoundName);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Round} failed; it runs again at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string round);
}
