using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Storage;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Parts;

namespace ServerlessMobility.Workshop.Storage;

public static class WorkshopStores
{
    public const string Bays = "workshop-bays";
    public const string Technicians = "workshop-technicians";
    public const string Bookings = "workshop-bookings";
    public const string SlotClaims = "workshop-slot-claims";
    public const string Jobs = "workshop-jobs";
    public const string Parts = "workshop-parts";
}

public static class WorkshopStorageExtensions
{
    /// <summary>The workshop's Cosmos containers (partition key /tenantId, /id) behind its repositories.</summary>
    public static IServiceCollection AddWorkshopStorage(this IServiceCollection services)
    {
        // Literal registrations: the infrastructure tests read them to check each container exists in Bicep.
        services.AddCosmosContainer("workshop-bays");
        services.AddCosmosContainer("workshop-technicians");
        services.AddCosmosContainer("workshop-bookings");
        services.AddCosmosContainer("workshop-slot-claims");
        services.AddCosmosContainer("workshop-jobs");
        services.AddCosmosContainer("workshop-parts");
        Add<Bay>(services, WorkshopStores.Bays);
        Add<Technician>(services, WorkshopStores.Technicians);
        Add<Booking>(services, WorkshopStores.Bookings);
        Add<ServiceJob>(services, WorkshopStores.Jobs);
        Add<PartStock>(services, WorkshopStores.Parts);
        services.AddSingleton<ISlotClaims, CosmosSlotClaims>();
        return services;
    }

    private static void Add<T>(IServiceCollection services, string container)
        where T : class =>
        services.AddSingleton<ITenantRepository<T>>(sp => new CosmosTenantRepository<T>(sp.GetRequiredService<CosmosDatabase>(), container));
}

public static class TenantRepositoryUpdates
{
    /// <summary>For immutable documents (records): stores what <paramref name="change"/> returns (<see cref="OptimisticUpdates"/>).</summary>
    public static async Task<T> ReplaceWithAsync<T>(this ITenantRepository<T> repository, string tenantId, string id, Func<T, T> change, string resource,
        CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        return (await repository.UpdateUnderETagAsync(tenantId, id, current => (change(current), true), resource, cancellationToken: cancellationToken)).Stored.Value;
    }

    /// <summary>
    /// As <see cref="UpdateAsync{T, TResult}"/>, but stores only when <paramref name="change"/> says it changed the
    /// document, so a decision that leaves it as it was (a part still short, a reservation asked for again) costs no
    /// write and does not make concurrent writers retry.
    /// </summary>
    public static async Task<(T Item, TResult Result)> UpdateIfChangedAsync<T, TResult>(this ITenantRepository<T> repository, string tenantId, string id,
        Func<T, (bool Changed, TResult Result)> change, string resource, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        var (stored, result) = await repository.UpdateUnderETagAsync(tenantId, id, current =>
        {
            var (changed, outcome) = change(current);
            return (changed ? current : null, outcome);
        }, resource, cancellationToken: cancellationToken);
        return (stored.Value, result);
    }

    /// <summary>
    /// Concurrent changes (two reservations of one part) serialize instead of overwriting each other
    /// (<see cref="OptimisticUpdates"/>). A change that throws changes nothing. <paramref name="change"/> mutates the document it is given.
    /// </summary>
    public static async Task<(T Item, TResult Result)> UpdateAsync<T, TResult>(this ITenantRepository<T> repository, string tenantId, string id,
        Func<T, TResult> change, string resource, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        var (stored, result) = await repository.UpdateUnderETagAsync(tenantId, id, current => (current, change(current)), resource, cancellationToken: cancellationToken);
        return (stored.Value, result);
    }
}
