using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Showroom.Leads;
using ServerlessMobility.Showroom.SavedSearches;
using ServerlessMobility.Showroom.TestDrives;
using ServerlessMobility.Storage;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.Showroom.Storage;

public static class ShowroomStores
{
    public const string Inventory = "showroom-inventory";
    public const string SavedSearches = "showroom-saved-searches";
}

public static class ShowroomStorageExtensions
{
    /// <summary>The showroom's Cosmos containers (partition key /tenantId, /id) behind its repositories.</summary>
    public static IServiceCollection AddShowroomStorage(this IServiceCollection services)
    {
        // Literal registrations: the infrastructure tests read them to check each container exists in Bicep.
        services.AddCosmosContainer("showroom-inventory");
        services.AddCosmosContainer("showroom-saved-searches");
        // Writes drop the car from this instance's read cache of the vehicle route.
        services.AddTenantReadCache<InventoryVehicle>("Showroom:InventoryReadCache");
        services.AddReadCachedRepository(sp => new CosmosTenantRepository<InventoryVehicle>(sp.GetRequiredService<CosmosDatabase>(), ShowroomStores.Inventory));
        services.AddSingleton<ITenantRepository<SavedSearch>>(sp => new CosmosTenantRepository<SavedSearch>(sp.GetRequiredService<CosmosDatabase>(), ShowroomStores.SavedSearches));
        return services;
    }
}

public static class ShowroomRepositoryUpdates
{
    /// <summary>
    /// Reads the document, lets <paramref name="change"/> decide on the current version and stores it only if nobody wrote
    /// in between (ETag), reading again and deciding again otherwise; so two racing decisions (two leads reserving one
    /// car) serialize and the second sees the first. Nothing is stored when <paramref name="change"/> says nothing changed.
    /// The leads' read-change-retry loop without a caller's If-Match: one loop for the module.
    /// </summary>
    /// <returns>The document as stored (or as read when unchanged) and whether it changed.</returns>
    public static async Task<(T Item, bool Changed)> UpdateIfChangedAsync<T>(this ITenantRepository<T> repository, string tenantId, string id, Func<T, bool> change,
        string resource, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        var (stored, changed) = await repository.UpdateAsync(tenantId, id, item =>
        {
            var changed = change(item);
            return (changed, changed);
        }, resource, ifMatch: null, cancellationToken);
        return (stored.Value, changed);
    }
}

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

public static class ShowroomTestDriveStores
{
    public const string TestDrives = "showroom-test-drives";

    /// <summary>The day books ("day-yyyyMMdd") and the cars' pointers to their running drive ("car-{VIN}").</summary>
    public const string Slots = "showroom-test-drive-slots";
}

public static class ShowroomTestDriveStorageExtensions
{
    /// <summary>The test drives slice's Cosmos containers (partition key /tenantId, /id) behind its repositories.</summary>
    public static IServiceCollection AddShowroomTestDriveStorage(this IServiceCollection services)
    {
        // Literal registrations: the infrastructure tests read them to check each container exists in Bicep.
        services.AddCosmosContainer("showroom-test-drives");
        services.AddCosmosContainer("showroom-test-drive-slots");
        services.AddSingleton<ITenantRepository<TestDrive>>(sp => new CosmosTenantRepository<TestDrive>(sp.GetRequiredService<CosmosDatabase>(), ShowroomTestDriveStores.TestDrives));
        services.AddSingleton<ITenantRepository<TestDriveDayBook>>(sp =>
            new CosmosTenantRepository<TestDriveDayBook>(sp.GetRequiredService<CosmosDatabase>(), ShowroomTestDriveStores.Slots));
        services.AddSingleton<ITenantRepository<TestDriveCar>>(sp => new CosmosTenantRepository<TestDriveCar>(sp.GetRequiredService<CosmosDatabase>(), ShowroomTestDriveStores.Slots));
        return services;
    }
}
