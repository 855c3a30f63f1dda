using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessMobility.Storage.Cosmos;

/// <summary>Healthy when the Cosmos DB account answers.</summary>
public sealed class CosmosHealthCheck(CosmosDatabase cosmos) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoint = cosmos.Client.Endpoint;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await cosmos.Client.ReadAccountAsync().WaitAsync(timeout.Token);
            return HealthCheckResult.Healthy($"Cosmos DB answers at {endpoint.Host}:{endpoint.Port}.");
        }
#pragma warning disable CA1031 // any failure means "unhealthy", reported with its message
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"Cosmos DB at {endpoint.Host}:{endpoint.Port} is unreachable: {ex.GetType().Name}.", ex);
        }
    }
}
