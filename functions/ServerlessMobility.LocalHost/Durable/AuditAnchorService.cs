using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Security.Audit;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The local host's schedule for <see cref="AuditAnchoring"/>: moved chain heads go to the anchor append blobs on
/// Azurite every Audit:AnchorInterval (the Functions app runs the same on an hourly timer trigger).
/// </summary>
public sealed class AuditAnchorService(AuditAnchoring anchoring, IOptions<AuditLedgerOptions> options, TimeProvider time, ILogger<AuditAnchorService> logger)
    : PeriodicRound(options.Value.AnchorInterval, time, logger)
{
    protected override string RoundName => "An audit anchoring round";

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => anchoring.AnchorAsync(cancellationToken);
}
