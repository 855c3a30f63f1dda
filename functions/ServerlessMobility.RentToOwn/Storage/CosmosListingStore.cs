using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Listings;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.RentToOwn.Storage;

/// <summary>Listings in the "rtoListings" container, partitioned by tenant.</summary>
public sealed class CosmosListingStore(CosmosDatabase cosmos) : IListingStore
{
    public const string ContainerName = "rtoListings";

    public async Task<Listing?> GetAsync(string tenantId, string listingId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(tenantId, listingId, cancellationToken))?.Resource;

    public async Task CreateAsync(Listing listing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var container = await cosmos.GetContainerAsync(ContainerName);
        try
        {
            await container.CreateItemAsync(listing, TenantPartition.Of(listing.TenantId, listing.Id), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException($"Listing '{listing.Id}' already exists.");
        }
    }

    /// <summary>Upsert for idempotent demo seeding.</summary>
    public async Task UpsertAsync(Listing listing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var container = await cosmos.GetContainerAsync(ContainerName);
        await container.UpsertItemAsync(listing, TenantPartition.Of(listing.TenantId, listing.Id), cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<Listing>> SearchAsync(string tenantId, ListingFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var container = await cosmos.GetContainerAsync(ContainerName);

        // The tenant filter is in the SQL as well as in the options: the local server ignores the option.
        var sql = new StringBuilder("SELECT * FROM c WHERE c.tenantId = @tenantId");
        var parameters = new List<(string, object)> { ("@tenantId", tenantId) };
        void Add(string clause, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(clause);
                parameters.Add((name, value));
            }
        }

        Add("c.type = @type", "@type", filter.Type is { } type ? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(type.ToString()) : null);
        Add("c.makeKey = @make", "@make", string.IsNullOrWhiteSpace(filter.Make) ? null : filter.Make.Trim().ToLowerInvariant());
        Add("c.locationKey = @location", "@location", string.IsNullOrWhiteSpace(filter.Location) ? null : filter.Location.Trim().ToLowerInvariant());
        Add("c.price >= @minPrice", "@minPrice", filter.MinPrice);
        Add("c.price <= @maxPrice", "@maxPrice", filter.MaxPrice);
        Add("c.weeklyInstalment >= @minWeekly", "@minWeekly", filter.MinWeekly);
        Add("c.weeklyInstalment <= @maxWeekly", "@maxWeekly", filter.MaxWeekly);
        var query = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters)
        {
            query = query.WithParameter(name, value);
        }

        var found = new List<Listing>();
        using var iterator = container.GetItemQueryIterator<Listing>(query, requestOptions: new QueryRequestOptions { PartitionKey = TenantPartition.Tenant(tenantId) });
        while (iterator.HasMoreResults)
        {
            found.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return found;
    }

    public async Task<T> UpdateAsync<T>(string tenantId, string listingId, Func<Listing, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var container = await cosmos.GetContainerAsync(ContainerName);
        var current = await ReadAsync(tenantId, listingId, cancellationToken) ?? throw new ResourceNotFoundException("Listing", listingId);
        var result = change(current.Resource);
        try
        {
            await container.ReplaceItemAsync(current.Resource, listingId, TenantPartition.Of(tenantId, listingId), new ItemRequestOptions { IfMatchEtag = current.ETag }, cancellationToken);
            return result;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConflictException($"Listing '{listingId}' was changed concurrently (reserved by someone else?); reload and try again.");
        }
    }

    private async Task<(Listing Resource, string ETag)?> ReadAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        await CosmosPointRead.ReadAsync<Listing>(await cosmos.GetContainerAsync(ContainerName), tenantId, id, cancellationToken);
}
