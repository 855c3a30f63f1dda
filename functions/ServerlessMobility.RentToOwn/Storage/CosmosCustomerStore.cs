using System.Net;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Customers;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.RentToOwn.Storage;

/// <summary>Customers in the "rtoCustomers" container, partitioned by tenant. Only ciphertext and hashes of PII are stored.</summary>
public sealed class CosmosCustomerStore(CosmosDatabase cosmos) : ICustomerStore
{
    public const string ContainerName = "rtoCustomers";

    public async Task<Customer?> GetAsync(string tenantId, string customerId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(tenantId, customerId, cancellationToken))?.Resource;

    public async Task CreateAsync(Customer customer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var container = await cosmos.GetContainerAsync(ContainerName);
        try
        {
            await container.CreateItemAsync(customer, TenantPartition.Of(customer.TenantId, customer.Id), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException($"Customer '{customer.Id}' is already onboarded.");
        }
    }

    public async Task<Customer> UpdateAsync(string tenantId, string customerId, Action<Customer> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var container = await cosmos.GetContainerAsync(ContainerName);
        var current = await ReadAsync(tenantId, customerId, cancellationToken) ?? throw new ResourceNotFoundException("Customer", customerId);
        var customer = current.Resource;
        change(customer);
        try
        {
            await container.ReplaceItemAsync(customer, customer.Id, TenantPartition.Of(tenantId, customer.Id), new ItemRequestOptions { IfMatchEtag = current.ETag }, cancellationToken);
            return customer;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConflictException($"Customer '{customerId}' was changed concurrently; reload and try again.");
        }
    }

    public async Task<IReadOnlyList<Customer>> FindByHashAsync(string tenantId, string? phoneHash, string? documentNumberHash, CancellationToken cancellationToken = default)
    {
        var container = await cosmos.GetContainerAsync(ContainerName);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenantId AND (c.phoneHash = @phone OR c.documentNumberHash = @document)")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@phone", phoneHash ?? "-")
            .WithParameter("@document", documentNumberHash ?? "-");
        var found = new List<Customer>();
        using var iterator = container.GetItemQueryIterator<Customer>(query, requestOptions: new QueryRequestOptions { PartitionKey = TenantPartition.Tenant(tenantId) });
        while (iterator.HasMoreResults)
        {
            found.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return found;
    }

    private async Task<(Customer Resource, string ETag)?> ReadAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        await CosmosPointRead.ReadAsync<Customer>(await cosmos.GetContainerAsync(ContainerName), tenantId, id, cancellationToken);
}

/// <summary>Identity documents in a private blob container, one folder per tenant and customer.</summary>
public sealed class BlobKycDocumentStore(StorageClients storage, TimeProvider time) : IKycDocumentStore
{
    public const string ContainerName = "kyc-documents";

    public async Task<string> SaveAsync(string tenantId, string customerId, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        var container = storage.Blobs.GetBlobContainerClient(storage.ContainerName(ContainerName));
        await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        var name = $"{tenantId}/{customerId}/{time.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content),
            new Azure.Storage.Blobs.Models.BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
        return name;
    }
}
