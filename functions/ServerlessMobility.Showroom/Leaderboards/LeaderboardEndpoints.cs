using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Showroom.Leaderboards;

/// <param name="Rank">1 for the most points; equal points share a rank.</param>
public sealed record LeaderboardEntry(int Rank, string SalespersonId, string? Name, int Points, int Sales, int TestDrives, IReadOnlyList<string> Badges);

/// <param name="Key">The ISO week ("2026-W49") or month ("2026-12").</param>
/// <param name="Start">Inclusive, UTC.</param>
/// <param name="End">Exclusive, UTC.</param>
public sealed record Leaderboard(string Period, string Key, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<LeaderboardEntry> Entries);

/// <summary>One event of the live leaderboard: the board as it stands, and the award that changed it (null in the first event).</summary>
public sealed record LeaderboardUpdate(Leaderboard Board, PointAward? Cause);

/// <summary>The dealership's salespeople ranked by the points they earned in the current week or month (UTC), once or live.</summary>
public static class LeaderboardEndpoints
{
    public const string BoardEvent = "leaderboard";

    public static async Task<Ok<Leaderboard>> GetAsync(string? period, HttpContext http, [FromServices] SalesLeaderboards leaderboards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(leaderboards);
        var which = SalesLeaderboards.ParsePeriod(period);
        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(await leaderboards.CurrentAsync(user.TenantId, which, cancellationToken));
    }

    /// <summary>
    /// Server-sent events: the board at once, then the board again after every award of the dealership, with the award
    /// that moved it. Awards that arrive while a board is being computed are folded into the next one; the board after an
    /// award is computed once for every screen that watches (<see cref="LiveLeaderboards"/>).
    /// </summary>
    public static ServerSentEventsResult<LeaderboardUpdate> Stream(string? period, HttpContext http, [FromServices] SalesLeaderboards leaderboards,
        [FromServices] LiveLeaderboards live, [FromServices] ILeaderboardChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(leaderboards);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(changes);
        var which = SalesLeaderboards.ParsePeriod(period);
        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.ServerSentEvents(Events(user.TenantId, which, leaderboards, live, changes, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<LeaderboardUpdate>> Events(string tenantId, LeaderboardPeriod period, SalesLeaderboards leaderboards, LiveLeaderboards live,
        ILeaderboardChanges changes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribed before the first board is read, so an award stored in between reaches the client in a later board.
        await using var awards = changes.SubscribeAsync(tenantId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = awards.MoveNextAsync().AsTask();
        yield return new SseItem<LeaderboardUpdate>(new LeaderboardUpdate(await leaderboards.CurrentAsync(tenantId, period, cancellationToken), null), BoardEvent);
        while (await next)
        {
            var cause = awards.Current;
            var ended = false;
            next = awards.MoveNextAsync().AsTask();
            while (next.IsCompleted)
            {
                if (!await next)
                {
                    ended = true;
                    break;
                }

                cause = awards.Current;
                next = awards.MoveNextAsync().AsTask();
            }

            yield return new SseItem<LeaderboardUpdate>(new LeaderboardUpdate(await live.AfterAsync(tenantId, period, cause, cancellationToken), cause), BoardEvent);
            if (ended)
            {
                yield break;
            }
        }
    }
}
