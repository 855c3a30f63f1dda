using System.Net;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.Workshop.Bookings;

namespace ServerlessMobility.Workshop.Storage;

/// <summary>
/// Slot claims as documents whose id is the bay or technician and the slot: Cosmos creates an id once, so of two
/// concurrent bookings of the same slot exactly one gets it. A booking's claims are created one by one; when one is
/// taken, the claims already made are deleted again (compensation), so a lost race leaves nothing booked.
/// </summary>
public sealed class CosmosSlotClaims(CosmosDatabase cosmos) : ISlotClaims
{
    public async Task ClaimAsync(string tenantId, string bookingId, IReadOnlyList<string> claimIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimIds);
        var container = await cosmos.GetContainerAsync(WorkshopStores.SlotClaims);
        var taken = new List<string>();
        foreach (var id in claimIds)
        {
            try
            {
                await container.CreateItemAsync(new SlotClaim(id, tenantId, bookingId), TenantPartition.Of(tenantId, id), cancellationToken: cancellationToken);
                taken.Add(id);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                await ReleaseAsync(container, tenantId, taken);
                throw new ConflictException("That slot is already booked; choose another time, bay or technician.");
            }
            catch
            {
                await ReleaseAsync(container, tenantId, taken);
                throw;
            }
        }
    }

    public async Task ReleaseAsync(string tenantId, IReadOnlyList<string> claimIds, CancellationToken cancellationToken = default) =>
        await ReleaseAsync(await cosmos.GetContainerAsync(WorkshopStores.SlotClaims), tenantId, claimIds);

    private static async Task ReleaseAsync(Container container, string tenantId, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            try
            {
                // Not the caller's cancellation: a release must finish, or the slot stays blocked by a booking that never was.
                await container.DeleteItemAsync<SlotClaim>(id, TenantPartition.Of(tenantId, id), cancellationToken: CancellationToken.None);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone.
            }
        }
    }
}
