using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Azure Storage and Cosmos DB clients with their health checks ("storage", "cosmos").</summary>
    public static IServiceCollection AddPlatformStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .PostConfigure<Microsoft.Extensions.Configuration.IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.AccountName))
                {
                    options.ConnectionString = configuration["AzureWebJobsStorage"];
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<CosmosOptions>()
            .BindConfiguration(CosmosOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<StorageClients>();
        services.AddSingleton<CosmosDatabase>();
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage")
            .AddCheck<CosmosHealthCheck>("cosmos");
        return services;
    }

    public static IServiceCollection AddCosmosContainer(this IServiceCollection services, string name, string partitionKeyPath = "/tenantId")
    {
        services.AddSingleton(new CosmosContainerDefinition(name, partitionKeyPath));
        return services;
    }

    /// <summary>Resolves the options eagerly so a misconfiguration fails at start-up, not on first request.</summary>
    public static void ValidatePlatformStorage(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = services.GetRequiredService<IOptions<CosmosOptions>>().Value;
    }
}
