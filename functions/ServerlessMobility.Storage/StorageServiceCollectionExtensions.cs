using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Platform.Operations;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Platform.Security.Idempotency;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.Storage.Security;

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

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StorageClients>();
        services.AddSingleton<IBlobTransferLinks, BlobSasLinks>();
        services.AddSingleton<CosmosDatabase>();
        services.AddOptions<AuditLedgerOptions>().BindConfiguration(AuditLedgerOptions.SectionName);
        services.AddSingleton<IAuditLedger, TableAuditLedger>();
        services.AddSingleton<IAuditAnchorStore, BlobAuditAnchorStore>();
        services.AddSingleton<AuditAnchoring>();
        services.AddSingleton<IIdempotencyStore, TableIdempotencyStore>();
        services.AddSingleton<Platform.Http.IDependencyFailureClassifier, AzureDependencyFailures>();

        // Operator tasks (Platform/Operations): literal name, the infrastructure tests read it.
        services.AddCosmosContainer("operator-tasks");
        services.AddSingleton<ITenantRepository<OperatorTask>>(sp => new CosmosTenantRepository<OperatorTask>(sp.GetRequiredService<CosmosDatabase>(), OperatorTasks.Container));
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage")
            .AddCheck<CosmosHealthCheck>("cosmos");
        return services;
    }

    public static IServiceCollection AddCosmosContainer(this IServiceCollection services, string name)
    {
        services.AddSingleton(new CosmosContainerDefinition(name));
        return services;
    }
}
