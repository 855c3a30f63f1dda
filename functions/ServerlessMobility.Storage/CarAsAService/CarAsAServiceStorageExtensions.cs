using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Catalog;
using ServerlessMobility.Core.CarAsAService.Customers;
using ServerlessMobility.Core.CarAsAService.Features;
using ServerlessMobility.Core.CarAsAService.Orders;
using ServerlessMobility.Core.CarAsAService.Payments;
using ServerlessMobility.Core.CarAsAService.Vehicles;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.Storage.CarAsAService;

public static class CarAsAServiceStorageExtensions
{
    /// <summary>Cosmos containers (partition key /tenantId) and blob stores of Car-as-a-Service.</summary>
    public static IServiceCollection AddCarAsAServiceStorage(this IServiceCollection services)
    {
        // Literal registrations: the infrastructure tests read them to check each container exists in Bicep.
        services.AddCosmosContainer(CaasStores.Orders, "/tenantId");
        services.AddCosmosContainer(CaasStores.Customers, "/tenantId");
        services.AddCosmosContainer(CaasStores.Vehicles, "/tenantId");
        services.AddCosmosContainer(CaasStores.Payments, "/tenantId");
        services.AddCosmosContainer(CaasStores.Models, "/tenantId");
        services.AddCosmosContainer(CaasStores.Features, "/tenantId");
        services.AddCosmosContainer(CaasStores.FeatureSubscriptions, "/tenantId");
        services.AddCosmosContainer(CaasStores.FeatureSlots, "/tenantId");
        services.AddCosmosContainer(CaasStores.FeatureInvoices, "/tenantId");
        services.AddCosmosContainer(CaasStores.LatePayments, "/tenantId");
        // Writes drop the order from the API's read cache (the cache itself is registered with the core).
        services.AddSingleton<ITenantRepository<Order>>(sp => new OrderCacheInvalidatingRepository(
            new CosmosTenantRepository<Order>(sp.GetRequiredService<CosmosDatabase>(), CaasStores.Orders), sp.GetRequiredService<OrderReadCache>()));
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
