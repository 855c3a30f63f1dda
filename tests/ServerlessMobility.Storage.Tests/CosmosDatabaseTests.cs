using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests;

public class CosmosDatabaseTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Probe(string Id, string TenantId, string Name, decimal Amount);

    [Fact]
    public async Task GetContainerAsync_RegisteredContainer_CreatesItAndRoundTripsItems()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddCosmosContainer("probes"));
        var container = await services.GetRequiredService<CosmosDatabase>().GetContainerAsync("probes");

        await container.CreateItemAsync(new Probe("p-1", "tenant-a", "first", 12.34m), TenantPartition.Of("tenant-a", "p-1"), cancellationToken: Ct);
        var read = await container.ReadItemAsync<Probe>("p-1", TenantPartition.Of("tenant-a", "p-1"), cancellationToken: Ct);

        Assert.Equal(new Probe("p-1", "tenant-a", "first", 12.34m), read.Resource);
        Assert.False(string.IsNullOrEmpty(read.ETag));
    }

    [Fact]
    public async Task ReplaceItemAsync_StaleETag_FailsWithPreconditionFailed()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddCosmosContainer("probes"));
        var container = await services.GetRequiredService<CosmosDatabase>().GetContainerAsync("probes");
        var created = await container.CreateItemAsync(new Probe("p-2", "tenant-a", "v1", 1m), TenantPartition.Of("tenant-a", "p-2"), cancellationToken: Ct);
        await container.ReplaceItemAsync(new Probe("p-2", "tenant-a", "v2", 2m), "p-2", TenantPartition.Of("tenant-a", "p-2"), new ItemRequestOptions { IfMatchEtag = created.ETag }, Ct);

        var stale = await Assert.ThrowsAsync<CosmosException>(() =>
            container.ReplaceItemAsync(new Probe("p-2", "tenant-a", "v3", 3m), "p-2", TenantPartition.Of("tenant-a", "p-2"), new ItemRequestOptions { IfMatchEtag = created.ETag }, Ct));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var current = await container.ReadItemAsync<Probe>("p-2", TenantPartition.Of("tenant-a", "p-2"), cancellationToken: Ct);
        Assert.Equal("v2", current.Resource.Name);
    }

    /// <summary>
    /// A query gives the tenant as a prefix of the hierarchical key; the local Cosmos server does not scope
    /// by it (Azure does), so every query also filters on the tenant in SQL: the same result on both.
    /// </summary>
    [Fact]
    public async Task Query_PartitionKeyOptionAndFilter_ReturnsOnlyThatTenantsItems()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddCosmosContainer("probes"));
        var container = await services.GetRequiredService<CosmosDatabase>().GetContainerAsync("probes");
        await container.CreateItemAsync(new Probe("a-1", "tenant-a", "a", 1m), TenantPartition.Of("tenant-a", "a-1"), cancellationToken: Ct);
        await container.CreateItemAsync(new Probe("a-2", "tenant-a", "a", 2m), TenantPartition.Of("tenant-a", "a-2"), cancellationToken: Ct);
        await container.CreateItemAsync(new Probe("b-1", "tenant-b", "b", 3m), TenantPartition.Of("tenant-b", "b-1"), cancellationToken: Ct);

        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenantId AND c.amount >= @min")
            .WithParameter("@tenantId", "tenant-a")
            .WithParameter("@min", 1);
        using var iterator = container.GetItemQueryIterator<Probe>(query, requestOptions: new QueryRequestOptions { PartitionKey = TenantPartition.Tenant("tenant-a") });
        var results = new List<Probe>();
        while (iterator.HasMoreResults)
        {
            results.AddRange(await iterator.ReadNextAsync(Ct));
        }

        Assert.Equal(["a-1", "a-2"], results.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PointRead_MissingOrAnotherTenantsId_NotFound()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddCosmosContainer("probes"));
        var container = await services.GetRequiredService<CosmosDatabase>().GetContainerAsync("probes");
        await container.CreateItemAsync(new Probe("c-1", "tenant-a", "a", 1m), TenantPartition.Of("tenant-a", "c-1"), cancellationToken: Ct);

        using var otherTenant = await container.ReadItemStreamAsync("c-1", TenantPartition.Of("tenant-b", "c-1"), cancellationToken: Ct);
        using var missing = await container.ReadItemStreamAsync("c-2", TenantPartition.Of("tenant-a", "c-2"), cancellationToken: Ct);
        var found = await CosmosPointRead.ReadAsync<Probe>(container, "tenant-a", "c-1", Ct);

        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("a", found?.Resource.Name);
        Assert.False(string.IsNullOrEmpty(found?.ETag));
    }

    [Fact]
    public async Task GetContainerAsync_ContainerPartitionedByTenantOnly_ThrowsSayingWhatToDo()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddCosmosContainer("legacy"));
        var database = services.GetRequiredService<CosmosDatabase>();
        var created = await database.Client.CreateDatabaseIfNotExistsAsync(services.GetRequiredService<IOptions<CosmosOptions>>().Value.DatabaseName, cancellationToken: Ct);
        await created.Database.CreateContainerIfNotExistsAsync(new ContainerProperties("legacy", "/tenantId"), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.GetContainerAsync("legacy"));

        Assert.Contains("partitioned by /tenantId", error.Message, StringComparison.Ordinal);
        Assert.Contains("/tenantId, /id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetContainerAsync_UnregisteredContainer_Throws()
    {
        await using var services = StorageServices.Create(emulators);

        await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<CosmosDatabase>().GetContainerAsync("unknown"));
    }

    [Fact]
    public async Task HealthCheck_ServerUp_IsHealthy_ServerDown_IsUnhealthy()
    {
        await using var up = StorageServices.Create(emulators);
        await using var down = StorageServices.Create(emulators, overrides: new Dictionary<string, string?> { ["CosmosDb:Endpoint"] = $"https://127.0.0.1:{FreeTcpPort.Next()}/" });

        var healthy = await new CosmosHealthCheck(up.GetRequiredService<CosmosDatabase>()).CheckHealthAsync(new HealthCheckContext(), Ct);
        var unhealthy = await new CosmosHealthCheck(down.GetRequiredService<CosmosDatabase>()).CheckHealthAsync(new HealthCheckContext(), Ct);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
    }
}
