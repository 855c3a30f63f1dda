using System.Net;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>GET /api/showroom/leads through the local host's real pipeline on the real emulators: filters, paging, the tenant's own leads only, bad filters as 400s.</summary>
public sealed class LeadListHttpTests(PlatformEmulators emulators, SharedLeadsHost shared) : IClassFixture<SharedLeadsHost>
{
    [Fact]
    public async Task List_NewestFirst_FiltersByStageSalespersonAndSource_AndPagesWithoutGapsOrRepeats()
    {
        await using var host = LeadsHost.Start(emulators);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, source) in new[] { ("Ann", "WalkIn"), ("Ben", "Web"), ("Cy", "TestDrive"), ("Dot", "WalkIn"), ("Eve", "WalkIn") })
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            var lead = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam,
                new { source, name, email = $"{name.ToLowerInvariant()}@example.test", vehicleOfInterest = "veh-golf-1" });
            ids[name] = lead.GetProperty("id").GetString()!;
        }

        host.Time.Advance(TimeSpan.FromMinutes(1));
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{ids["Ben"]}/activities", sam, new { kind = "Call", note = "Left a message" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{ids["Dot"]}/stage", sam, new { stage = "Lost", reason = "Bought elsewhere" });

        var all = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads", sam);
        Assert.Equal(["Eve", "Dot", "Cy", "Ben", "Ann"], Names(all));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);
        var ben = all.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == ids["Ben"]);
        Assert.Equal("Contacted", ben.GetProperty("stage").GetString());
        Assert.Equal("Web", ben.GetProperty("source").GetString());
        Assert.Equal("tess", ben.GetProperty("assignedTo").GetString());
        Assert.Equal("veh-golf-1", ben.GetProperty("vehicleOfInterest").GetString());
        Assert.Equal("Call", ben.GetProperty("lastActivity").GetProperty("kind").GetString());
        Assert.Equal(LeadsHost.FakeClockStart.AddMinutes(2), ben.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(LeadsHost.FakeClockStart.AddMinutes(6), ben.GetProperty("updatedAt").GetDateTimeOffset());

        // The list shows no contact details: those are the lead's own (GET /{id}).
        Assert.All(all.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.False(i.TryGetProperty("email", out _));
            Assert.False(i.TryGetProperty("phone", out _));
        });

        Assert.Equal(["Eve", "Cy", "Ann"], Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads?stage=New", sam)));
        Assert.Equal(["Eve", "Dot", "Cy", "Ann"], Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads?stage=New&stage=Lost", sam)));
        Assert.Equal(["Dot", "Ben"], Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads?assignedTo=tess", sam)));
        Assert.Equal(["Eve", "Ann"], Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads?source=WalkIn&assignedTo=sam", sam)));
        Assert.Empty(Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads?stage=Won", sam)));

        // Pages of two: every lead once, in order, and the last page says there is no next.
        var paged = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads?top=2" + (next is null ? string.Empty : $"&after={Uri.EscapeDataString(next)}"), sam);
            paged.AddRange(Names(page));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null && pages < 10);
        Assert.Equal(["Eve", "Dot", "Cy", "Ben", "Ann"], paged);
        Assert.Equal(3, pages);

        // A dealer admin sees the same list; another dealership's staff see none of it.
        Assert.Equal(5, Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads", host.Admin)).Count);
        Assert.Empty(Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads",
            host.TokenOfTenant($"sr-{Guid.NewGuid():N}"[..20], "sam", "dealer-staff"))));
        Assert.Empty(Names(await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leads?assignedTo=sam",
            host.TokenOfTenant($"sr-{Guid.NewGuid():N}"[..20], "sam", "dealer-staff"))));
    }

    [Theory]
    [InlineData("stage=Bogus", "stage")]
    [InlineData("stage=New&stage=9", "stage")]
    [InlineData("source=Phone", "source")]
    [InlineData("source=7", "source")]
    [InlineData("assignedTo=not%20an%20id", "assignedTo")]
    [InlineData("top=0", "top")]
    [InlineData("top=201", "top")]
    [InlineData("top=many", "top")]
    [InlineData("after=nonsense", "after")]
    [InlineData("after=-5.lead-1", "after")]
    [InlineData("after=99999999999999999999.lead-1", "after")]
    public async Task BadFilters_AreA400NamingTheParameter(string query, string field)
    {
        var host = shared.Host;
        var problem = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/showroom/leads?{query}", host.Staff("sam"));
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task OnlyTheSalesRoles_ListLeads()
    {
        var host = shared.Host;
        await host.ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/showroom/leads", null);
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/showroom/leads", host.Token("cust-1", "customer"));
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/showroom/leads", host.Token("op-1", "operator"));
    }

    private static List<string> Names(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];
}
