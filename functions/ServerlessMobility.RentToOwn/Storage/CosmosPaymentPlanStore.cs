using System.Net;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Plans;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.RentToOwn.Storage;

/// <summary>Plans in the "rtoPlans" container, partitioned by tenant; updates use ETag preconditions.</summary>
public sealed class CosmosPaymentPlanStore(CosmosDatabase cosmos) : IPaymentPlanStore
{
    public const string ContainerName = "rtoPlans";
    private const int MaxConcurrencyRetries = 10;

    public async Task<PaymentPlan?> GetAsync(string tenantId, string planId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(tenantId, planId, cancellationToken))?.Resource;

    public async Task CreateAsync(PaymentPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var container = await cosmos.GetContainerAsync(ContainerName);
        try
        {
            await container.CreateItemAsync(plan, TenantPartition.Of(plan.TenantId, plan.Id), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException($"Plan '{plan.Id}' already exists.");
        }
    }

    public async Task<T> UpdateAsync<T>(string tenantId, string planId, Func<PaymentPlan, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var container = await cosmos.GetContainerAsync(ContainerName);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(tenantId, planId, cancellationToken) ?? throw new ResourceNotFoundException("Plan", planId);
            var plan = current.Resource;
            var result = change(plan);
            try
            {
                await container.ReplaceItemAsync(plan, plan.Id, TenantPartition.Of(tenantId, plan.Id),
                    new ItemRequestOptions { IfMatchEtag = current.ETag }, cancellationToken);
                return result;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
            {
                // Someone (a webhook, the workflow) wrote in between: re-run the change on the fresh plan.
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                throw new ConflictException($"Plan '{planId}' is being changed concurrently; try again.");
            }
        }
    }

    /// <summary>Plans of one customer; the query stays in the tenant partition (option and SQL filter both, see docs/architecture.md).</summary>
    public async Task<IReadOnlyList<PaymentPlan>> ListForCustomerAsync(string tenantId, string customerId, CancellationToken cancellationToken = default)
    {
        var container = await cosmos.GetContainerAsync(ContainerName);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenantId AND c.customerId = @customerId")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@customerId", customerId);
        var plans = new List<PaymentPlan>();
        using var iterator = container.GetItemQueryIterator<PaymentPlan>(query, requestOptions: new QueryRequestOptions { PartitionKey = TenantPartition.Tenant(tenantId) });
        while (iterator.HasMoreResults)
        {
            plans.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return plans;
    }

    private async Task<(PaymentPlan Resource, string ETag)?> ReadAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        await CosmosPointRead.ReadAsync<PaymentPlan>(await cosmos.GetContainerAsync(ContainerName), tenantId, id, cancellationToken);
}

/// <summary>Agent tasks in the "rtoAgentTasks" container; the deterministic task id makes opening idempotent.</summary>
public sealed class CosmosAgentTaskQueue(CosmosDatabase cosmos) : IAgentTaskQueue
{
    public const string ContainerName = "rtoAgentTasks";

    public async Task OpenAsync(AgentTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var container = await cosmos.GetContainerAsync(ContainerName);
        try
        {
            await container.CreateItemAsync(task, TenantPartition.Of(task.TenantId, task.Id), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Opened by an earlier run of the same activity.
        }
    }
}
