using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// GET /api/vehicles: a dealership's vehicles from the registry's tenant index on Azurite, page by page in VIN order,
/// never another dealership's, and a vehicle that moved to another dealership leaves the first one's list.
/// </summary>
public class VehicleListTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Staff_ListTheirDealershipsVehicles_PageByPage_AndNeverAnotherDealershipsVehicle()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();
        var run = Guid.NewGuid().ToString("N")[..8];
        var (dealerA, dealerB) = ($"list-a-{run}", $"list-b-{run}");
        var staffA = await DevTokens.IssueAsync(client, "staff-a", dealerA, "dealer-staff");
        var staffB = await DevTokens.IssueAsync(client, "staff-b", dealerB, "dealer-staff");
        var vinsOfA = Enumerable.Range(1, 5).Select(i => Vin(run, 'A', i)).ToList();
        foreach (var vin in vinsOfA.AsEnumerable().Reverse())
        {
            await RegisterAsync(client, staffA, vin, $"owner-{vin[^1]}");
        }

        await RegisterAsync(client, staffB, Vin(run, 'B', 1), "owner-b");

        var first = await ListAsync(client, staffA, "?take=2");
        var second = await ListAsync(client, staffA, $"?take=2&after={first.GetProperty("next").GetString()}");
        var last = await ListAsync(client, staffA, $"?take=2&after={second.GetProperty("next").GetString()}");
        var all = await ListAsync(client, staffA, string.Empty);
        var ofB = await ListAsync(client, staffB, string.Empty);

        Assert.Equal(vinsOfA[..2], Vins(first));
        Assert.Equal(vinsOfA[2..4], Vins(second));
        Assert.Equal(vinsOfA[4..], Vins(last));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next").ValueKind);
        Assert.Equal(vinsOfA, Vins(all));
        Assert.Equal("owner-1", all.GetProperty("items")[0].GetProperty("ownerSubject").GetString());
        Assert.Equal([Vin(run, 'B', 1)], Vins(ofB));
    }

    [Fact]
    public async Task AVehicleMovedToAnotherDealership_LeavesTheFirstList_AndIsInTheSecond()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();
        var run = Guid.NewGuid().ToString("N")[..8];
        var (dealerA, dealerB) = ($"move-a-{run}", $"move-b-{run}");
        var staffA = await DevTokens.IssueAsync(client, "staff-a", dealerA, "dealer-staff");
        var staffB = await DevTokens.IssueAsync(client, "staff-b", dealerB, "dealer-staff");
        var vin = Vin(run, 'M', 1);
        await RegisterAsync(client, staffA, vin, "owner-m");

        // A Car-as-a-Service delivery assigns a factory car to the ordering dealership through the registry itself.
        var registry = factory.Services.GetRequiredService<IVehicleRegistry>();
        await registry.UpsertAsync(new VehicleRegistration(vin, dealerB, "owner-m", "aurora-s", DateTimeOffset.UtcNow), Ct);

        Assert.Empty(Vins(await ListAsync(client, staffA, string.Empty)));
        Assert.Equal([vin], Vins(await ListAsync(client, staffB, string.Empty)));
    }

    [Theory]
    [InlineData("?take=0", "take")]
    [InlineData("?take=201", "take")]
    [InlineData("?after=not-a-vin", "after")]
    public async Task BadPaging_IsA400NamingTheField(string query, string field)
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();
        var staff = await DevTokens.IssueAsync(client, "staff-x", "list-bad", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Get, "/api/vehicles" + query, staff);
        using var response = await client.SendAsync(request, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Customers_AreRefused()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();
        var customer = await DevTokens.IssueAsync(client, "cust-x", "list-cust", "customer");

        using var request = TestApi.Request(HttpMethod.Get, "/api/vehicles", customer);
        using var response = await client.SendAsync(request, Ct);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    /// <summary>17 characters without I, O and Q (the run is hexadecimal), unique to the run, in the order of <paramref name="index"/>.</summary>
    private static string Vin(string run, char fleet, int index) => $"WSML{fleet}{run.ToUpperInvariant()}{index:D4}"[..17];

    private static async Task RegisterAsync(HttpClient client, string token, string vin, string owner)
    {
        using var request = TestApi.Request(HttpMethod.Post, "/api/vehicles", token, new { vin, ownerSubject = owner, model = "aurora-s" });
        using var response = await client.SendAsync(request, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string token, string query)
    {
        using var request = TestApi.Request(HttpMethod.Get, "/api/vehicles" + query, token);
        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Vins(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("vin").GetString()!)];
}
