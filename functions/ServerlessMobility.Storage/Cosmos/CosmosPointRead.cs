using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace ServerlessMobility.Storage.Cosmos;

/// <summary>
/// Reads one document by id inside its partition: a point read, the cheapest Cosmos DB operation (1 RU for
/// 1 KB), which never leaves the partition, so another tenant's id with this tenant's key is simply not found.
/// </summary>
public static class CosmosPointRead
{
    public static async Task<(T Resource, string ETag)?> ReadAsync<T>(Container container, string tenantId, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        using var response = await container.ReadItemStreamAsync(id, TenantPartition.Of(tenantId, id), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var resource = await JsonSerializer.DeserializeAsync<T>(response.Content, CosmosJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Cosmos DB returned an empty document for '{id}'.");
        return (resource, response.Headers.ETag);
    }
}
