using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Features;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The local host's schedule for <see cref="FeatureActivationReconciler"/>: a sweep every
/// <c>CarAsAService:Features:Reconciler:Interval</c> (the Functions app runs it on a timer trigger).
/// </summary>
public sealed class FeatureReconcilerService(FeatureActivationReconciler reconciler, DurableTaskClient workflows,
    IOptions<FeatureReconcilerOptions> options, TimeProvider time, ILogger<FeatureReconcilerService> logger)
    : PeriodicRound(options.Value.Interval, time, logger)
{
    protected override string RoundName => "The feature activation sweep";

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => reconciler.SweepAsync(workflows, cancellationToken);
}
