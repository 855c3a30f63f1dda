using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Showroom.LiveUpdates;

/// <summary>
/// Server-sent events of the caller's dealership: a <c>ready</c> event as soon as the subscription is in place (so a
/// client knows from then on it misses nothing), then one <c>change</c> event per committed write.
/// </summary>
public static class InventoryChangesEndpoints
{
    public const string ReadyEvent = "ready";
    public const string ChangeEvent = "change";

    public static ServerSentEventsResult<InventoryChange> Stream(HttpContext http, [FromServices] IInventoryChangeBroadcaster broadcaster, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(broadcaster);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var staff = ShowroomAccess.IsStaff(user);
        return TypedResults.ServerSentEvents(Events(user.TenantId, staff, broadcaster, time, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<InventoryChange>> Events(string tenantId, bool staff, IInventoryChangeBroadcaster broadcaster, TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The subscription registers when its enumerator first moves, so that move is started before the ready event
        // goes out: a client that has seen ready misses no later change.
        await using var changes = broadcaster.SubscribeAsync(tenantId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = changes.MoveNextAsync();
        yield return new SseItem<InventoryChange>(new InventoryChange(InventoryChangeKind.Connected, tenantId, string.Empty, null, null, 0, time.GetUtcNow(), null), ReadyEvent);
        while (await next)
        {
            if ((staff ? changes.Current : changes.Current.ForCustomer()) is { } change)
            {
                yield return new SseItem<InventoryChange>(change, ChangeEvent);
            }

            next = changes.MoveNextAsync();
        }
    }
}
