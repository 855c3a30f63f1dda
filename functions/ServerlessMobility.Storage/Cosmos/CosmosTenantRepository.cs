using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Storage.Cosmos;

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
        var read = await CosmosPointRead.ReadAsync<T>(container, tenantId, id, cancellationToken).ConfigureAwait(false);
        return read is { } found ? new Versioned<T>(found.Resource, ToHttp(found.ETag)) : null;
    }

    public async Task<Versioned<T>> CreateAsync(string tenantId, string id, T item, CancellationToken cancellationToken = default)
    {
        var container = await database.GetContainerAsync(containerName).ConfigureAwait(false);
        try
        {
            var response = await container.CreateItemAsync(item, TenantPartition.Of(tenantId, id), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Versioned<T>(response.Resource, ToHttp(response.ETag));
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

        // Azure Cosmos DB's ETags are quoted, the local server's are not (see ToHttp): the quoted form
        // is tried first, the bare one second; either matching means the same version.
        string[] candidates = eTag.Length > 1 && eTag.StartsWith('"') && eTag.EndsWith('"') ? [eTag, eTag[1..^1]] : [eTag];
        foreach (var candidate in candidates)
        {
            try
            {
                var response = await container.ReplaceItemAsync(item, id, TenantPartition.Of(tenantId, id),
                    new ItemRequestOptions { IfMatchEtag = candidate }, cancellationToken).ConfigureAwait(false);
                return new Versioned<T>(response.Resource, ToHttp(response.ETag));
            }
            catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // Try the other form; if none matches, the document changed.
            }
            catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ResourceNotFoundException(typeof(T).Name, id);
            }
        }

        throw new ConflictException($"'{id}' was changed by someone else; read it again and retry.");
    }

    public async Task<IReadOnlyList<T>> QueryAsync(string tenantId, string? field = null, object? value = null, CancellationToken cancellationToken = default)
    {
        if (field is not null && !field.Split('.').All(segment => segment.Length > 0 && segment.All(char.IsAsciiLetterOrDigit)))
        {
            // Field names go into the SQL text; values are always parameters.
            throw new ArgumentException("Field paths are names of letters and digits, joined by dots.", nameof(field));
        }

        var container = await database.GetContainerAsync(containerName).ConfigureAwait(false);
        var query = field is null
            ? new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant").WithParameter("@tenant", tenantId)
            : new QueryDefinition($"SELECT * FROM c WHERE c.tenantId = @tenant AND c.{field} = @value")
                .WithParameter("@tenant", tenantId).WithParameter("@value", StoredForm(value));
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { PartitionKey = TenantPartition.Tenant(tenantId) });
        while (iterator.HasMoreResults)
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>ETags leave the repository quoted, as HTTP requires them (the local server sends them bare).</summary>
    private static string ToHttp(string eTag) => eTag.StartsWith('"') ? eTag : $"\"{eTag}\"";

    /// <summary>Enums are stored as camelCase strings (CosmosJson), so a filter value must be too.</summary>
    private static object? StoredForm(object? value) =>
        value is Enum ? JsonSerializer.SerializeToElement(value, value.GetType(), CosmosJson.Options).GetString() : value;
}
