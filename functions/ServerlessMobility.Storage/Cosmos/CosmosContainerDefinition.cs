using Microsoft.Azure.Cosmos;

namespace ServerlessMobility.Storage.Cosmos;

/// <summary>A container a feature needs. Every container is partitioned by <see cref="TenantPartition"/>.</summary>
public sealed record CosmosContainerDefinition(string Name);

/// <summary>
/// The partition key of every container: hierarchical, the tenant then the document's id. The tenant level
/// keeps every query inside one tenant (a prefix key: Azure routes it to the physical partitions holding that
/// tenant only); the id level makes each document its own logical partition, so a large dealership is never
/// capped at one logical partition's 20 GB. The price: no transaction spans two documents, which the platform
/// never needed (it orders its writes and makes each one idempotent instead). docs/architecture.md, "Storage".
/// </summary>
public static class TenantPartition
{
    public static IReadOnlyList<string> Paths { get; } = ["/tenantId", "/id"];

    /// <summary>The full key of one document, for point reads and writes.</summary>
    public static PartitionKey Of(string tenantId, string id) => new PartitionKeyBuilder().Add(tenantId).Add(id).Build();

    /// <summary>The prefix key of a tenant, for queries (which also filter on the tenant in SQL).</summary>
    public static PartitionKey Tenant(string tenantId) => new PartitionKeyBuilder().Add(tenantId).Build();
}
