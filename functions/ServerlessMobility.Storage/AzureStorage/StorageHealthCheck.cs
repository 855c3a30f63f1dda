using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessMobility.Storage.AzureStorage;

/// <summary>Healthy when the Blob, Queue and Table endpoints all answer.</summary>
public sealed class StorageHealthCheck(StorageClients storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await Task.WhenAll(
                storage.Blobs.GetPropertiesAsync(timeout.Token),
                storage.Queues.GetPropertiesAsync(timeout.Token),
                storage.Tables.GetPropertiesAsync(timeout.Token));
            return HealthCheckResult.Healthy($"Blob, Queue and Table endpoints answer ({storage.Blobs.Uri.Host}:{storage.Blobs.Uri.Port}).");
        }
#pragma warning disable CA1031 // any failure means "unhealthy", reported with its message
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"Azure Storage at {storage.Blobs.Uri.Host}:{storage.Blobs.Uri.Port} is unreachable: {ex.GetType().Name}.", ex);
        }
    }
}
