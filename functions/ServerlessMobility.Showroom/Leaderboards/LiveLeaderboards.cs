using System.Collections.Concurrent;

namespace ServerlessMobility.Showroom.Leaderboards;

/// <summary>
/// The boards the live streams send after an award, computed once per dealership, period and award however many
/// screens watch: each board costs two Cosmos queries, and a showroom's tablets, the manager's screen and the sales
/// floor's wall all hear the same award at the same moment. Only the latest award's board is kept per dealership and
/// period; a screen that connects reads its first board itself (<see cref="SalesLeaderboards.CurrentAsync"/>).
/// </summary>
public sealed class LiveLeaderboards(SalesLeaderboards leaderboards)
{
    private readonly ConcurrentDictionary<(string TenantId, LeaderboardPeriod Period), SharedBoard> _latest = new();

    /// <summary>The board as it stands after <paramref name="award"/>: the same computation for every caller that asks after the same award.</summary>
    public Task<Leaderboard> AfterAsync(string tenantId, LeaderboardPeriod period, PointAward award, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(award);
        var key = (tenantId, period);
        while (true)
        {
            var known = _latest.TryGetValue(key, out var current) ? current : null;
            if (known is not null && known.AwardId == award.Id && !known.Failed)
            {
                return known.Board.Value.WaitAsync(cancellationToken);
            }

            // One caller's cancellation must not fail the board the others wait for: the shared computation runs to its end.
            var fresh = new SharedBoard(award.Id, new Lazy<Task<Leaderboard>>(() => leaderboards.CurrentAsync(tenantId, period, CancellationToken.None)));
            if (known is null ? _latest.TryAdd(key, fresh) : _latest.TryUpdate(key, fresh, known))
            {
                return fresh.Board.Value.WaitAsync(cancellationToken);
            }
        }
    }

    private sealed record SharedBoard(string AwardId, Lazy<Task<Leaderboard>> Board)
    {
        /// <summary>A failed read (Cosmos unreachable a moment) is not handed to later callers: the next one reads again.</summary>
        public bool Failed => Board.IsValueCreated && (Board.Value.IsFaulted || Board.Value.IsCanceled);
    }
}
