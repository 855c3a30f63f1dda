using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.CarAsAService.Vehicles;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Storage;

namespace ServerlessMobility.CarAsAService.Storage;

public static class CarAsAServiceStorageExtensions
{
    /// <summary>Cosmos containers (partition key /tenantId) and blob stores of Car-as-a-Service.</summary>
    public static IServiceCollection AddCarAsAServiceStorage(this IServiceCollection services)
    {
        // Literal registrations: the infrastructure tests read them to check each container exists in Bicep.
        services.AddCosmosContainer(CaasStores.Orders);
        services.AddCosmosContainer(CaasStores.Customers);
        services.AddCosmosContainer(CaasStores.Vehicles);
        services.AddCosmosContainer(CaasStores.Payments);
        services.AddCosmosContainer(CaasStores.Models);
        services.AddCosmosContainer(CaasStores.Features);
        services.AddCosmosContainer(CaasStores.FeatureSubscriptions);
        services.AddCosmosContainer(CaasStores.FeatureSlots);
        services.AddCosmosContainer(CaasStores.FeatureInvoices);
        services.AddCosmosContainer(CaasStores.LatePayments);
        // Writes drop the order from the API's read cache (the cache itself is registered with the core).
        services.AddReadCachedRepository(sp => new CosmosTenantRepository<Order>(sp.GetRequiredService<CosmosDatabase>(), CaasStores.Orders));
        Add<Customer>(services, CaasStores.Customers);
        Add<Vehicle>(services, CaasStores.Vehicles);
        Add<Payment>(services, CaasStores.Payments);
        Add<VehicleModel>(services, CaasStores.Models);
        Add<FeatureDefinition>(services, CaasStores.Features);
        Add<FeatureSubscription>(services, CaasStores.FeatureSubscriptions);
        Add<FeatureSlot>(services, CaasStores.FeatureSlots);
        Add<FeatureInvoice>(services, CaasStores.FeatureInvoices);
        Add<LatePayment>(services, CaasStores.LatePayments);
        services.AddSingleton<IDocumentStore, BlobDocumentStore>();
        services.AddSingleton<IWebhookInbox, BlobWebhookInbox>();
        return services;
    }

    private static void Add<T>(IServiceCollection services, string container)
        where T : class
    {
        services.AddSingleton<ITenantRepository<T>>(sp => new CosmosTenantRepository<T>(sp.GetRequiredService<CosmosDatabase>(), container));
    }
}
