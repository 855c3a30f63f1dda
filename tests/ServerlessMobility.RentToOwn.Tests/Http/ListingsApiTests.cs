using System.Net;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Http;

public class ListingsApiTests(PlatformEmulators emulators, SharedRentToOwnHost shared) : IClassFixture<SharedRentToOwnHost>
{
    private static async Task<string> ListAsync(RentToOwnHost host, string agent, string type, string make, decimal price, decimal weekly, string location)
    {
        var response = await host.SendAsync(HttpMethod.Post, "/api/listings", agent, new { type, make, model = "M", year = 2024, currency = "KES", price, weeklyInstalment = weekly, location });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await RentToOwnHost.ReadAsync(response)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Search_Filters_OnlyMatchingListingsOfTheTenant()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-l1", "tenant-l1", "agent");
        var otherAgent = await host.TokenAsync("agent-l1x", "tenant-l1-other", "agent");
        var customer = await host.TokenAsync("cust-l1", "tenant-l1", "customer");
        var cheapBoda = await ListAsync(host, agent, "Motorcycle", "TVS", 140_000m, 3_200m, "Nairobi");
        await ListAsync(host, agent, "Motorcycle", "Bajaj", 170_000m, 3_900m, "Nairobi");
        await ListAsync(host, agent, "Car", "Toyota", 900_000m, 9_000m, "Nairobi");
        await ListAsync(host, agent, "Motorcycle", "TVS", 140_000m, 3_200m, "Kisumu");
        await ListAsync(host, otherAgent, "Motorcycle", "TVS", 140_000m, 3_200m, "Nairobi");

        var motorcycles = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, "/api/listings?type=Motorcycle&location=nairobi", customer));
        var cheap = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, "/api/listings?make=tvs&maxWeekly=3500&minPrice=100000&maxPrice=150000&location=Nairobi", customer));
        var all = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, "/api/listings", customer));

        Assert.Equal(2, motorcycles.GetArrayLength());
        Assert.Equal(cheapBoda, Assert.Single(cheap.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(4, all.GetArrayLength());
    }

    [Fact]
    public async Task Search_MinAboveMax_400()
    {
        var host = shared.Host;
        var customer = await host.TokenAsync("cust-l2", "tenant-l2", "customer");

        var response = await host.SendAsync(HttpMethod.Get, "/api/listings?minPrice=10&maxPrice=5", customer);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Reserve_SecondCustomerWhileHeld_409_AfterExpiry_Succeeds()
    {
        await using var host = RentToOwnHost.Start(emulators);
        var agent = await host.TokenAsync("agent-l3", "tenant-l3", "agent");
        var first = await host.TokenAsync("cust-l3a", "tenant-l3", "customer");
        var second = await host.TokenAsync("cust-l3b", "tenant-l3", "customer");
        var id = await ListAsync(host, agent, "Van", "Nissan", 1_800_000m, 16_000m, "Mombasa");

        var reserved = await host.SendAsync(HttpMethod.Post, $"/api/listings/{id}/reservations", first);
        var conflict = await host.SendAsync(HttpMethod.Post, $"/api/listings/{id}/reservations", second);
        var view = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, $"/api/listings/{id}", second));
        host.Time.Advance(TimeSpan.FromHours(48) + TimeSpan.FromSeconds(1));
        var afterExpiry = await host.SendAsync(HttpMethod.Post, $"/api/listings/{id}/reservations", second);

        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.False(view.GetProperty("available").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, afterExpiry.StatusCode);
        Assert.Equal("cust-l3b", (await RentToOwnHost.ReadAsync(afterExpiry)).GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task Reserve_ConcurrentCustomers_ExactlyOneWins()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-l4", "tenant-l4", "agent");
        var tokens = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            tokens.Add(await host.TokenAsync($"cust-l4-{i}", "tenant-l4", "customer"));
        }

        var id = await ListAsync(host, agent, "Truck", "Isuzu", 3_000_000m, 27_000m, "Nakuru");

        var responses = await Task.WhenAll(tokens.Select(t => host.SendAsync(HttpMethod.Post, $"/api/listings/{id}/reservations", t)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task GetListing_OtherTenant_404()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-l5", "tenant-l5", "agent");
        var otherCustomer = await host.TokenAsync("cust-l5x", "tenant-l5-other", "customer");
        var id = await ListAsync(host, agent, "Car", "Toyota", 900_000m, 9_000m, "Nairobi");

        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"/api/listings/{id}", otherCustomer)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Post, $"/api/listings/{id}/reservations", otherCustomer)).StatusCode);
    }
}
