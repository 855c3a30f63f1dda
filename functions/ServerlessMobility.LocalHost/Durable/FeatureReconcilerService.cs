using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.CarAsAService.Features;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The local host's schedule for <see cref="FeatureActivationReconciler"/>: a sweep every
/// <c>CarAsAService:Features:Reconciler:Interval</c> (the Functions app runs it on a timer trigger). A failed
/// sweep is logged and the next one tries again.
/// </summary>
public sealed partial class FeatureReconcilerService(FeatureActivationReconciler reconciler, DurableTaskClient workflows,
    IOptions<FeatureReconcilerOptions> options, TimeProvider time, ILogger<FeatureReconcilerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await reconciler.SweepAsync(workflows, stoppingToken);
                }
#pragma warning disable CA1031 // the loop must survive a failed sweep (storage briefly unavailable)
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The feature activation sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
