using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Showroom.Leads;
using ServerlessMobility.Storage;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.Showroom.Storage;

public static class ShowroomLeadStores
{
    public const string Leads = "showroom-leads";
    public const string LeadContacts = "showroom-lead-contacts";
    public const string Salespeople = "showroom-salespeople";
    public const string Points = "showroom-points";
}

public static class ShowroomLeadStorageExtensions
{
    /// <summary>The leads slice's Cosmos containers (partition key /tenantId, /id) behind its repositories.</summary>
    public static IServiceCollection AddShowroomLeadStorage(this IServiceCollection services)
    {
        // Literal registrations: the infrastructure tests read them to check each container exists in Bicep.
        services.AddCosmosContainer("showroom-leads");
        services.AddCosmosContainer("showroom-lead-contacts");
        services.AddCosmosContainer("showroom-salespeople");
        services.AddCosmosContainer("showroom-points");
        Add<Lead>(services, ShowroomLeadStores.Leads);
        Add<LeadContactClaim>(services, ShowroomLeadStores.LeadContacts);
        Add<Salesperson>(services, ShowroomLeadStores.Salespeople);
        Add<PointAward>(services, ShowroomLeadStores.Points);
        return services;
    }

    private static void Add<T>(IServiceCollection services, string container)
        where T : class =>
        services.AddSingleton<ITenantRepository<T>>(sp => new CosmosTenantRepository<T>(sp.GetRequiredService<CosmosDatabase>(), container));
}
