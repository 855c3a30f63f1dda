using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.RentToOwn.Storage;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>Reads what the collection opened for field agents straight from its Cosmos container (no API lists them yet).</summary>
internal static class AgentTasks
{
    public static async Task<IReadOnlyList<AgentTask>> ForPlanAsync(IServiceProvider services, string tenantId, string planId)
    {
        var container = await services.GetRequiredService<CosmosDatabase>().GetContainerAsync(CosmosAgentTaskQueue.ContainerName);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenantId AND c.planId = @planId")
            .WithParameter("@tenantId", tenantId).WithParameter("@planId", planId);
        var tasks = new List<AgentTask>();
        using var iterator = container.GetItemQueryIterator<AgentTask>(query, requestOptions: new QueryRequestOptions { PartitionKey = TenantPartition.Tenant(tenantId) });
        while (iterator.HasMoreResults)
        {
            tasks.AddRange(await iterator.ReadNextAsync(TestContext.Current.CancellationToken));
        }

        return tasks;
    }
}
