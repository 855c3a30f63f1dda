using System.Net;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.Http;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.Storage.CarAsAService;

/// <summary>
/// <see cref="ITenantRepository{T}"/> on one Cosmos container partitioned by /tenantId. Replace is
/// conditional on the ETag (If-Match), so two writers that read the same version cannot both win.
/// </summary>
public sealed class CosmosTenantRepository<T>(CosmosDatabase database, string containerName) : ITenantRepository<T>
    where T : class
{
    public async Task<Versioned<T>?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        var container = await database.GetContainerAsync(containerName).ConfigureAwait(false);
        try
        {
            var response = await container.ReadItemAsync<T>(id, new PartitionKey(tenantId), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Versioned<T>(response.Resource, response.ETag);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Versioned<T>> CreateAsync(string tenantId, string id, T item, CancellationToken cancellationToken = default)
    {
        var container = await database.GetContainerAsync(containerName).ConfigureAwait(false);
        try
        {
            var response = await container.CreateItemAsync(item, new PartitionKey(tenantId), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Versioned<T>(response.Resource, response.ETag);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException($"'{id}' already exists.");
        }
    }

    public async Task<Versioned<T>> ReplaceAsync(string tenantId, string id, T item, string eTag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eTag);
        var container = await database.GetContainerAsync(containerName).ConfigureAwait(false);
        try
        {
            var response = await container.ReplaceItemAsync(item, id, new PartitionKey(tenantId),
                new ItemRequestOptions { IfMatchEtag = eTag }, cancellationToken).ConfigureAwait(false);
            return new Versioned<T>(response.Resource, response.ETag);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConflictException($"'{id}' was changed by someone else; read it again and retry.");
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ResourceNotFoundException(typeof(T).Name, id);
        }
    }

    public async Task<IReadOnlyList<T>> QueryAsync(string tenantId, string? field = null, string? value = null, CancellationToken cancellationToken = default)
    {
        if (field is not null && !field.All(char.IsAsciiLetterOrDigit))
        {
            // Field names go into the SQL text; values are always parameters.
            throw new ArgumentException("Field names are letters and digits only.", nameof(field));
        }

        var container = await database.GetContainerAsync(containerName).ConfigureAwait(false);
        var query = field is null
            ? new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant").WithParameter("@tenant", tenantId)
            : new QueryDefinition($"SELECT * FROM c WHERE c.tenantId = @tenant AND c.{field} = @value")
                .WithParameter("@tenant", tenantId).WithParameter("@value", value);
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(tenantId) });
        while (iterator.HasMoreResults)
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false));
        }

        return results;
    }
}
