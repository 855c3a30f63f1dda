using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ServerlessMobility.Telemetry;

/// <summary>How often a failing part of a batch is tried before it is split, and how long to wait between tries.</summary>
public sealed class TelemetryRetryOptions
{
    public const string SectionName = "Telemetry:Retry";

    /// <summary>Tries of a part that failed with an error that will repeat (storage rejected the input) before splitting it.</summary>
    public int DeterministicAttempts { get; set; } = 2;

    /// <summary>
    /// Tries of a part that failed with a transient error (timeout, throttling, 5xx) before splitting it: with the
    /// back-off about 80 s, so an outage shorter than that parks nothing, and a poison message that only ever
    /// gets a 5xx still cannot hold its partition for long.
    /// </summary>
    public int TransientAttempts { get; set; } = 20;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The default: network, I/O and timeout errors may pass (a cancellation the runner sees is a client timeout:
/// the runner's own cancellation ends it instead); anything else is assumed to repeat.
/// </summary>
public sealed class DefaultTransientErrorDetector : ITransientErrorDetector
{
    public bool IsTransient(Exception exception) => exception switch
    {
        TelemetryBatchException batch => batch.Failures.Count > 0 && batch.Failures.Values.All(IsTransient),
        HttpRequestException or IOException or TimeoutException or OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };
}

/// <summary>
/// Runs a batch through the <see cref="TelemetryPipeline"/> so that one bad message cannot stall its
/// partition. Both hosts call it (the local MQTT ingestion and the Event Hubs trigger). A failing part is
/// narrowed to the vehicles that failed (the others are stored), tried again a few times with back-off,
/// then split in halves (in order, so each vehicle's order is kept) until the message that keeps failing
/// stands alone; it is parked in the dead-letter store with its reason (once: the dead letter's id is a
/// hash of device, partition and sequence number) and the partition goes on.
/// </summary>
public sealed partial class TelemetryBatchRunner(
    TelemetryPipeline pipeline,
    ITelemetryDeadLetterSink deadLetters,
    ITransientErrorDetector transientErrors,
    TelemetryRetryOptions options,
    TimeProvider timeProvider,
    ILogger<TelemetryBatchRunner> logger)
{
    private const int MaxReasonLength = 1000;

    public async Task<TelemetryBatchResult> RunAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var totals = new Totals();
        await RunPartAsync(batch, totals, cancellationToken);
        return new TelemetryBatchResult(totals.Processed, totals.Duplicates, totals.Malformed + totals.Poisoned, totals.RiskEvents, batch.Select(m => m.DeviceId).Distinct(StringComparer.Ordinal).Count());
    }

    private async Task RunPartAsync(IReadOnlyList<TelemetryMessage> part, Totals totals, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            try
            {
                totals.Add(await pipeline.ProcessAsync(part, cancellationToken));
                return;
            }
            catch (TelemetryBatchException ex)
            {
                // The vehicles that did not fail are stored; only the failed ones go on.
                totals.Add(ex.Partial);
                failure = ex;
                part = [.. part.Where(m => ex.Failures.ContainsKey(m.DeviceId))];
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure = ex;
            }

            var transient = transientErrors.IsTransient(failure);
            if (attempt < (transient ? options.TransientAttempts : options.DeterministicAttempts))
            {
                LogRetry(logger, failure, part.Count, attempt, transient);
                await Task.Delay(Backoff(attempt), timeProvider, cancellationToken);
                continue;
            }

            if (part.Count == 1)
            {
                await ParkAsync(part[0], failure, attempt, cancellationToken);
                totals.Poisoned++;
                return;
            }

            LogSplit(logger, part.Count, attempt);
            var half = part.Count / 2;
            await RunPartAsync([.. part.Take(half)], totals, cancellationToken);
            await RunPartAsync([.. part.Skip(half)], totals, cancellationToken);
            return;
        }
    }

    private async Task ParkAsync(TelemetryMessage message, Exception failure, int attempts, CancellationToken cancellationToken)
    {
        var cause = failure is TelemetryBatchException batch && batch.Failures.TryGetValue(message.DeviceId, out var inner) ? inner : failure;
        var reason = string.Create(CultureInfo.InvariantCulture, $"Processing failed {attempts} times; the message was isolated from its batch and parked. {cause.GetType().Name}: {cause.Message}");
        var deadLetter = new DeadLetter(reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason, TelemetryPipeline.ToArchived(message));
        LogParked(logger, cause, deadLetter.Id, message.PartitionId, message.SequenceNumber);

        // The dead-letter store is the last resort: while it fails, the partition waits (and retries).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await deadLetters.ParkAsync(deadLetter, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogParkFailed(logger, ex, deadLetter.Id, attempt);
                await Task.Delay(Backoff(attempt), timeProvider, cancellationToken);
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = options.BaseDelay * Math.Pow(2, Math.Min(attempt - 1, 16));
        return delay < options.MaxDelay ? delay : options.MaxDelay;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry: {Count} message(s) failed (attempt {Attempt}, transient: {Transient}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int count, int attempt, bool transient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry: {Count} message(s) still fail after {Attempt} attempts; splitting to isolate the poison message")]
    private static partial void LogSplit(ILogger logger, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry: message {DeadLetterId} (partition {Partition}, sequence {Sequence}) keeps failing; parked in the dead-letter store")]
    private static partial void LogParked(ILogger logger, Exception exception, string deadLetterId, string partition, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry: parking {DeadLetterId} failed (attempt {Attempt}); retrying")]
    private static partial void LogParkFailed(ILogger logger, Exception exception, string deadLetterId, int attempt);

    private sealed class Totals
    {
        public int Processed { get; private set; }

        public int Duplicates { get; private set; }

        public int Malformed { get; private set; }

        public int RiskEvents { get; private set; }

        public int Poisoned { get; set; }

        public void Add(TelemetryBatchResult result)
        {
            Processed += result.Processed;
            Duplicates += result.Duplicates;
            Malformed += result.Malformed;
            RiskEvents += result.RiskEvents;
        }
    }
}
