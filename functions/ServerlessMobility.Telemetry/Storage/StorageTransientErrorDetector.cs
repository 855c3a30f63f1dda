using Azure;

namespace ServerlessMobility.Telemetry.Storage;

/// <summary>Storage errors that may pass when tried again: no answer, a timeout, throttling, a server error.</summary>
public sealed class StorageTransientErrorDetector : ITransientErrorDetector
{
    private static readonly DefaultTransientErrorDetector Default = new();

    public bool IsTransient(Exception exception) => exception switch
    {
        TelemetryBatchException batch => batch.Failures.Count > 0 && batch.Failures.Values.All(IsTransient),
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        _ => Default.IsTransient(exception),
    };
}
