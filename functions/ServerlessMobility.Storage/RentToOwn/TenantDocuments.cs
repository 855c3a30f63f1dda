using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.Storage.RentToOwn;

/// <summary>
/// Reads one document of a tenant by a partition-scoped query instead of a point read: the local Cosmos
/// server answers a point read with another tenant's partition key with 500 (Azure says 404), and a query
/// filtered by tenant in SQL behaves the same in both. The ETag comes from the document's <c>_etag</c>.
/// </summary>
internal static class TenantDocuments
{
    public static async Task<(T Resource, string ETag)?> ReadAsync<T>(Container container, string tenantId, string id, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenantId AND c.id = @id")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@id", id);
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(tenantId) });
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            using var json = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            foreach (var document in json.RootElement.GetProperty("Documents").EnumerateArray())
            {
                if (document.GetProperty("tenantId").GetString() == tenantId)
                {
                    return (document.Deserialize<T>(CosmosJson.Options)!, document.GetProperty("_etag").GetString()!);
                }
            }
        }

        return null;
    }
}
