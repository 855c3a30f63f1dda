using System.Net;
using System.Text.Json;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Showroom.LiveUpdates;
using ServerlessMobility.Showroom.Tests.Http;
using ServerlessMobility.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ServerlessMobility.Showroom.Tests.LiveUpdates;

/// <summary>Writes through the local host's pipeline, with Azure SignalR stood in for by WireMock: what reaches each group.</summary>
public sealed class AzureSignalRBroadcastHttpTests(PlatformEmulators emulators) : IDisposable
{
    private readonly SignalRStandIn _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task InventoryChanges_ReachTheStaffGroupWhole_AndTheCustomerGroupAsCustomersSeeThem()
    {
        await using var host = ShowroomHost.Start(emulators, settings: _service.Settings());
        var (demo, forSale) = (ShowroomHost.NewVin(), ShowroomHost.NewVin());
        var (staff, customers) = (ShowroomLiveGroups.InventoryStaff(host.Tenant), ShowroomLiveGroups.InventoryCustomers(host.Tenant));

        await host.AddAsync(ShowroomHost.Vehicle(demo, status: "Demo"));
        await host.AddAsync(ShowroomHost.Vehicle(forSale));
        await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{forSale}/status", host.Staff, new { status = "Reserved", leadId = "lead-7" });

        var staffSends = await Eventually.UntilAsync(() => Task.FromResult(_service.SentTo(staff)), s => s.Count == 3, "three changes in the staff group");
        Assert.All(staffSends, s => Assert.Equal("inventoryChange", s.Target));
        Assert.Equal([demo, forSale, forSale], staffSends.Select(s => s.Argument.GetProperty("vin").GetString()));
        Assert.Equal("lead-7", staffSends[2].Argument.GetProperty("vehicle").GetProperty("reservation").GetProperty("leadId").GetString());

        // The demo car never reaches customers; the reserved one leaves their stock without its details.
        var customerSends = await Eventually.UntilAsync(() => Task.FromResult(_service.SentTo(customers)), s => s.Count == 2, "two changes in the customer group");
        Assert.Equal([forSale, forSale], customerSends.Select(s => s.Argument.GetProperty("vin").GetString()));
        Assert.Equal(JsonValueKind.Null, customerSends[0].Argument.GetProperty("vehicle").GetProperty("history").ValueKind);
        Assert.Equal(("Reserved", JsonValueKind.Null), (customerSends[1].Argument.GetProperty("status").GetString(), customerSends[1].Argument.GetProperty("vehicle").ValueKind));
        Assert.All(_service.Server.LogEntries, e => SignalRStandIn.VerifiedRestClaims(e));
    }

    [Fact]
    public async Task ServiceFailingOrSlow_NeverFailsTheWrite_AndLaterChangesStillGo()
    {
        var (failing, slow, later) = (ShowroomHost.NewVin(), ShowroomHost.NewVin(), ShowroomHost.NewVin());
        _service.Server.Given(Request.Create().UsingPost().WithBody(new WildcardMatcher($"*{failing}*"))).AtPriority(1).RespondWith(Response.Create().WithStatusCode(500));
        _service.Server.Given(Request.Create().UsingPost().WithBody(new WildcardMatcher($"*{slow}*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(30)));
        var settings = _service.Settings();
        settings[$"{ShowroomLiveOptions.SectionName}:SendTimeout"] = "00:00:01";
        await using var host = ShowroomHost.Start(emulators, settings: settings);
        var staff = ShowroomLiveGroups.InventoryStaff(host.Tenant);

        foreach (var vin in new[] { failing, slow, later })
        {
            var (status, body, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Staff, ShowroomHost.Vehicle(vin));
            response.Dispose();
            Assert.True(status == HttpStatusCode.Created, $"{(int)status} {body}");
        }

        await Eventually.UntilAsync(() => Task.FromResult(_service.SentTo(staff).Any(s => s.Argument.GetProperty("vin").GetString() == later)), "the later change in the staff group");
    }

    [Fact]
    public async Task Award_SendsTheWeeksAndTheMonthsBoard_ToThatDealershipsGroups()
    {
        await using var host = LeadsHost.Start(emulators, settings: _service.Settings());
        await host.RosterAsync();
        var other = $"sr-other-{Guid.NewGuid():N}"[..20];

        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", host.TokenOfTenant(other, "sam", "dealer-staff"), LeadsHost.WalkIn("other@example.test"));
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", host.Staff("tess"), LeadsHost.WalkIn("gil@example.test"));

        foreach (var (period, key) in new[] { (LeaderboardPeriod.Week, "2099-W02"), (LeaderboardPeriod.Month, "2099-01") })
        {
            var group = ShowroomLiveGroups.Leaderboard(host.Tenant, period);
            var (target, update) = Assert.Single(await Eventually.UntilAsync(() => Task.FromResult(_service.SentTo(group)), s => s.Count > 0, $"the {period} board"));
            Assert.Equal("leaderboard", target);
            Assert.Equal(key, update.GetProperty("board").GetProperty("key").GetString());
            Assert.Equal(("LeadCaptured", host.Tenant), (update.GetProperty("cause").GetProperty("action").GetString(), update.GetProperty("cause").GetProperty("tenantId").GetString()));
            var entry = Assert.Single(update.GetProperty("board").GetProperty("entries").EnumerateArray());
            Assert.Equal(("tess", 5), (entry.GetProperty("salespersonId").GetString(), entry.GetProperty("points").GetInt32()));

            // The other dealership's board went to its own group, never into this one.
            var otherUpdate = Assert.Single(await Eventually.UntilAsync(() => Task.FromResult(_service.SentTo(ShowroomLiveGroups.Leaderboard(other, period))), s => s.Count > 0,
                $"the other dealership's {period} board"));
            Assert.Equal(other, otherUpdate.Argument.GetProperty("cause").GetProperty("tenantId").GetString());
        }
    }
}
