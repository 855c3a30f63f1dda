using Microsoft.Azure.Functions.Worker;
using ServerlessMobility.Platform.Security.Audit;

namespace ServerlessMobility.FunctionsApp.Audit;

/// <summary>
/// Copies every tenant's moved audit chain head to the immutable anchor container, hourly; the local host runs the
/// same on Audit:AnchorInterval.
/// </summary>
public sealed class AuditAnchorFunctions(AuditAnchoring anchoring)
{
    [Function("AnchorAuditLedgers")]
    public Task AnchorAuditLedgers([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        anchoring.AnchorAsync(cancellationToken);
}
