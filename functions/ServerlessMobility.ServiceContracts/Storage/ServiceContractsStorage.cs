using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Quotes;
using ServerlessMobility.ServiceContracts.Sales;
using ServerlessMobility.Storage;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.ServiceContracts.Storage;

public static class ServiceContractsStorage
{
    public const string Products = "sc-products";
    public const string Quotes = "sc-quotes";
    public const string Contracts = "sc-contracts";

    /// <summary>The service-contract Cosmos containers (hierarchical key /tenantId, /id) behind the kernel's tenant repository.</summary>
    public static IServiceCollection AddServiceContractsStorage(this IServiceCollection services)
    {
        // Literal registrations: the infrastructure tests read them to check each container exists in Bicep.
        services.AddCosmosContainer("sc-products");
        services.AddCosmosContainer("sc-quotes");
        services.AddCosmosContainer("sc-contracts");
        services.AddSingleton<ITenantRepository<ContractProduct>>(sp => new CosmosTenantRepository<ContractProduct>(sp.GetRequiredService<CosmosDatabase>(), Products));
        services.AddSingleton<ITenantRepository<ContractQuote>>(sp => new CosmosTenantRepository<ContractQuote>(sp.GetRequiredService<CosmosDatabase>(), Quotes));
        services.AddSingleton<ITenantRepository<ServiceContract>>(sp => new CosmosTenantRepository<ServiceContract>(sp.GetRequiredService<CosmosDatabase>(), Contracts));
        return services;
    }
}
