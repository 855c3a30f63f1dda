using System.Net;
using Microsoft.Extensions.Options;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Showroom.LiveUpdates;
using ServerlessMobility.Showroom.Tests.Http;
using ServerlessMobility.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ServerlessMobility.Showroom.Tests.LiveUpdates;

/// <summary>POST /api/showroom/live/negotiate through the local host's pipeline, with Azure SignalR stood in for by WireMock, and without it.</summary>
public sealed class LiveNegotiateHttpTests(PlatformEmulators emulators) : IDisposable
{
    private readonly SignalRStandIn _service = new();

    public void Dispose() => _service.Dispose();

    private static IEnumerable<string> Paths(string tenant, string user) =>
        new[] { ShowroomLiveGroups.InventoryStaff(tenant), ShowroomLiveGroups.Leaderboard(tenant, LeaderboardPeriod.Week), ShowroomLiveGroups.Leaderboard(tenant, LeaderboardPeriod.Month) }
            .Select(g => $"/api/hubs/showroom/groups/{g}/users/{user}").Order(StringComparer.Ordinal);

    [Fact]
    public async Task Negotiate_WithoutAzureSignalR_IsA404Problem_NamingTheServerSentEventRoutes()
    {
        await using var host = ShowroomHost.Start(emulators);

        var (status, body, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/live/negotiate", host.Staff);
        response.Dispose();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/showroom/inventory/changes", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiate_Staff_JoinsTheirDealershipsStaffStockAndBothBoards_AndGetsAClientToken()
    {
        await using var host = ShowroomHost.Start(emulators, settings: _service.Settings());

        var answer = await host.OkAsync(HttpMethod.Post, "/api/showroom/live/negotiate", host.Staff);

        var userId = ShowroomLiveGroups.UserId(host.Tenant, "staff-1");
        var url = $"{_service.Endpoint}/client/?hub=showroom";
        Assert.Equal((url, "showroom"), (answer.GetProperty("url").GetString(), answer.GetProperty("hub").GetString()));
        var claims = SignalRStandIn.VerifiedClaims(answer.GetProperty("accessToken").GetString()!);
        Assert.Equal((url, userId), (claims.GetProperty("aud").GetString(), claims.GetProperty("nameid").GetString()));
        Assert.Equal(answer.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());

        string[] groups = [ShowroomLiveGroups.InventoryStaff(host.Tenant), ShowroomLiveGroups.Leaderboard(host.Tenant, LeaderboardPeriod.Week),
            ShowroomLiveGroups.Leaderboard(host.Tenant, LeaderboardPeriod.Month)];
        Assert.Equal(groups.Zip(["inventoryChange", "leaderboard", "leaderboard"]),
            answer.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("name").GetString()!, g.GetProperty("target").GetString()!)));
        foreach (var group in groups)
        {
            var call = Assert.Single(_service.Calls("PUT", $"/api/hubs/showroom/groups/{group}/users/{userId}"));
            Assert.Equal("3600", call.RequestMessage.Query!["ttl"].Single());
            SignalRStandIn.VerifiedRestClaims(call);
        }
    }

    [Fact]
    public async Task Negotiate_Customer_JoinsOnlyTheStockForSale()
    {
        await using var host = ShowroomHost.Start(emulators, settings: _service.Settings());

        var answer = await host.OkAsync(HttpMethod.Post, "/api/showroom/live/negotiate", host.Customer);

        var group = Assert.Single(answer.GetProperty("groups").EnumerateArray());
        Assert.Equal(ShowroomLiveGroups.InventoryCustomers(host.Tenant), group.GetProperty("name").GetString());
        var put = Assert.Single(_service.Server.LogEntries, e => e.RequestMessage.Method == "PUT");
        Assert.Equal($"/api/hubs/showroom/groups/{ShowroomLiveGroups.InventoryCustomers(host.Tenant)}/users/{ShowroomLiveGroups.UserId(host.Tenant, "customer-1")}",
            put.RequestMessage.AbsolutePath);
    }

    [Fact]
    public async Task Negotiate_SameSubjectOfAnotherDealership_IsAnotherUser_InThatDealershipsGroupsOnly()
    {
        await using var host = ShowroomHost.Start(emulators, settings: _service.Settings());
        var other = $"sr-other-{Guid.NewGuid():N}"[..20];

        await host.OkAsync(HttpMethod.Post, "/api/showroom/live/negotiate", host.Staff);
        var answer = await host.OkAsync(HttpMethod.Post, "/api/showroom/live/negotiate", host.TokenFor(other, "staff-1", "dealer-staff"));

        var otherUser = ShowroomLiveGroups.UserId(other, "staff-1");
        Assert.NotEqual(ShowroomLiveGroups.UserId(host.Tenant, "staff-1"), otherUser);
        Assert.Equal(SignalRStandIn.VerifiedClaims(answer.GetProperty("accessToken").GetString()!).GetProperty("nameid").GetString(), otherUser);
        var puts = _service.Server.LogEntries.Where(e => e.RequestMessage.Method == "PUT").Select(e => e.RequestMessage.AbsolutePath).ToList();
        Assert.Equal(Paths(other, otherUser), puts.Where(p => p.EndsWith("/users/" + otherUser, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(Paths(host.Tenant, ShowroomLiveGroups.UserId(host.Tenant, "staff-1")),
            puts.Where(p => !p.EndsWith("/users/" + otherUser, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Negotiate_ServiceFailing_IsA503Problem_WithRetryAfter()
    {
        _service.Server.Given(Request.Create().UsingPut()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(500));
        await using var host = ShowroomHost.Start(emulators, settings: _service.Settings());

        var (status, body, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/live/negotiate", host.Staff);
        response.Dispose();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("Azure SignalR", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_WithABadConnectionString_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(async () =>
        {
            await using var host = ShowroomHost.Start(emulators, settings: new Dictionary<string, string?>
            {
                [$"{ShowroomLiveOptions.SectionName}:ConnectionString"] = "Endpoint=https://sm.service.signalr.net;Version=1.0;",
            });
        });

        Assert.Contains("Showroom:Live:AzureSignalR:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccessKey", error.Message, StringComparison.Ordinal);
    }
}
