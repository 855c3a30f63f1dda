using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>The live leaderboard: a client connected to it sees the board move when a colleague earns points.</summary>
public sealed class LeaderboardLiveHttpTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectedBoard_MovesWithEveryAward_OfItsDealershipOnly()
    {
        await using var host = LeadsHost.Start(emulators);
        await host.RosterAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));

        // A bad period is a 400 problem before any stream opens.
        var problem = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/showroom/leaderboard/changes?period=year", host.Staff("sam"));
        Assert.True(problem.GetProperty("errors").TryGetProperty("period", out _), problem.ToString());

        using var weekly = await ServerSentEventsReader.ConnectAsync(host.Client, "/api/showroom/leaderboard/changes", host.Staff("sam"), timeout.Token);
        using var monthly = await ServerSentEventsReader.ConnectAsync(host.Client, "/api/showroom/leaderboard/changes?period=month", host.Admin, timeout.Token);
        var first = await NextBoardAsync(weekly, timeout.Token);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("cause").ValueKind);
        Assert.Equal("2099-W02", first.GetProperty("board").GetProperty("key").GetString());
        Assert.Empty(first.GetProperty("board").GetProperty("entries").EnumerateArray());
        Assert.Equal("2099-01", (await NextBoardAsync(monthly, timeout.Token)).GetProperty("board").GetProperty("key").GetString());

        // Another dealership's award reaches neither board; tess captures a lead (5 points) and both boards show her first.
        var elsewhere = host.TokenOfTenant($"sr-other-{Guid.NewGuid():N}"[..20], "sam", "dealer-staff");
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", elsewhere, LeadsHost.WalkIn("other@example.test"));
        var lead = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", host.Staff("tess"), LeadsHost.WalkIn("gil@example.test"));
        var afterCapture = await NextBoardAsync(weekly, timeout.Token);
        Assert.Equal("LeadCaptured", afterCapture.GetProperty("cause").GetProperty("action").GetString());
        Assert.Equal([("tess", 1, 5)], Entries(afterCapture));
        Assert.Equal([("tess", 1, 5)], Entries(await NextBoardAsync(monthly, timeout.Token)));

        // sam takes the lead over and books its test drive (10 points): he goes ahead of tess.
        var id = lead.GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{id}/activities", host.Staff("sam"), new { kind = "Call" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{id}/stage", host.Staff("sam"), new { stage = "TestDrive" });
        var latest = await NextBoardAsync(weekly, timeout.Token);
        while (Entries(latest).Count < 2 || Entries(latest)[0].Points != 12)
        {
            latest = await NextBoardAsync(weekly, timeout.Token);
        }

        Assert.Equal([("sam", 1, 12), ("tess", 2, 5)], Entries(latest));
        Assert.Equal("TestDriveBooked", latest.GetProperty("cause").GetProperty("action").GetString());

        // The board read once agrees with the live one.
        var read = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leaderboard", host.Staff("sam"));
        Assert.Equal(Entries(latest), Entries(new { board = read }));
    }

    [Fact]
    public async Task ManyScreensWatching_OneAward_TheBoardIsReadOnceForAllOfThem()
    {
        var weekQueries = 0;
        await using var host = LeadsHost.Start(emulators, services: services =>
        {
            // The real Cosmos repository, its week queries counted (the query behind every weekly board).
            var cosmos = services.Last(d => d.ServiceType == typeof(ITenantRepository<PointAward>)).ImplementationFactory!;
            services.AddSingleton<ITenantRepository<PointAward>>(sp =>
                new QueryCountingRepository<PointAward>((ITenantRepository<PointAward>)cosmos(sp), field => field == "week" ? Interlocked.Increment(ref weekQueries) : 0));
        });
        await host.RosterAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));

        var screens = new List<ServerSentEventsReader>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var screen = await ServerSentEventsReader.ConnectAsync(host.Client, "/api/showroom/leaderboard/changes", host.Staff("sam"), timeout.Token);
                screens.Add(screen);
                Assert.Equal(JsonValueKind.Null, (await NextBoardAsync(screen, timeout.Token)).GetProperty("cause").ValueKind);
            }

            Assert.Equal(4, Volatile.Read(ref weekQueries));
            await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", host.Staff("tess"), LeadsHost.WalkIn("hal@example.test"));
            foreach (var screen in screens)
            {
                Assert.Equal([("tess", 1, 5)], Entries(await NextBoardAsync(screen, timeout.Token)));
            }

            Assert.Equal(5, Volatile.Read(ref weekQueries));
        }
        finally
        {
            screens.ForEach(s => s.Dispose());
        }
    }

    /// <summary>A repository that reports each query's field to <paramref name="onQuery"/> and then asks <paramref name="inner"/>.</summary>
    private sealed class QueryCountingRepository<T>(ITenantRepository<T> inner, Func<string?, int> onQuery) : ITenantRepository<T>
        where T : class
    {
        public Task<Versioned<T>?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default) => inner.GetAsync(tenantId, id, cancellationToken);

        public Task<Versioned<T>> CreateAsync(string tenantId, string id, T item, CancellationToken cancellationToken = default) => inner.CreateAsync(tenantId, id, item, cancellationToken);

        public Task<Versioned<T>> ReplaceAsync(string tenantId, string id, T item, string eTag, CancellationToken cancellationToken = default) =>
            inner.ReplaceAsync(tenantId, id, item, eTag, cancellationToken);

        public Task<IReadOnlyList<T>> QueryAsync(string tenantId, string? field = null, object? value = null, CancellationToken cancellationToken = default)
        {
            onQuery(field);
            return inner.QueryAsync(tenantId, field, value, cancellationToken);
        }
    }

    private static async Task<JsonElement> NextBoardAsync(ServerSentEventsReader reader, CancellationToken cancellationToken)
    {
        var (name, data) = await reader.NextAsync(cancellationToken);
        Assert.Equal("leaderboard", name);
        return data;
    }

    private static List<(string Id, int Rank, int Points)> Entries(JsonElement update) =>
        [.. update.GetProperty("board").GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("salespersonId").GetString()!, e.GetProperty("rank").GetInt32(), e.GetProperty("points").GetInt32()))];

    private static List<(string Id, int Rank, int Points)> Entries(object wrapped) => Entries(JsonSerializer.SerializeToElement(wrapped));
}
