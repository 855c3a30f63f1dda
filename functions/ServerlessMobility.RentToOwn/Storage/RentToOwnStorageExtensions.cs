using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Customers;
using ServerlessMobility.RentToOwn.Listings;
using ServerlessMobility.Storage;

namespace ServerlessMobility.RentToOwn.Storage;

public static class RentToOwnStorageExtensions
{
    /// <summary>The rent-to-own Cosmos containers and blob store behind the core's ports.</summary>
    public static IServiceCollection AddRentToOwnStorage(this IServiceCollection services)
    {
        services.AddCosmosContainer("rtoPlans");
        services.AddCosmosContainer("rtoAgentTasks");
        services.AddCosmosContainer("rtoCustomers");
        services.AddCosmosContainer("rtoListings");
        services.TryAddSingleton<IPaymentPlanStore, CosmosPaymentPlanStore>();
        services.TryAddSingleton<IAgentTaskQueue, CosmosAgentTaskQueue>();
        services.TryAddSingleton<ICustomerStore, CosmosCustomerStore>();
        services.TryAddSingleton<IKycDocumentStore, BlobKycDocumentStore>();
        services.TryAddSingleton<IListingStore, CosmosListingStore>();
        return services;
    }
}
