namespace ServerlessMobility.Storage.Cosmos;

/// <summary>
/// A container a feature needs. Every container is partitioned by tenant (or by the entity that
/// scopes every query), because the platform only ever queries inside one partition.
/// </summary>
public sealed record CosmosContainerDefinition(string Name, string PartitionKeyPath = "/tenantId");
