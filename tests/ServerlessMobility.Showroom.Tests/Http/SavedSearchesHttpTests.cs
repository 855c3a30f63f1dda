using System.Net;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>
/// Saved searches through HTTP on the real emulators: a buyer keeps a search, runs it again and hears what is new since
/// the last run; the same save twice is one search; nobody else sees it; bad criteria are a 400 naming the field.
/// </summary>
public sealed class SavedSearchesHttpTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task SavedSearch_RunAgain_TellsWhatIsNew_OnlyToItsOwner()
    {
        await using var host = ShowroomHost.Start(emulators);
        var first = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(first, "Tesla", "Model 3", fuel: "Electric", price: 39_000m));
        await host.AddAsync(ShowroomHost.Vehicle(ShowroomHost.NewVin(), "Tesla", "Model Y", fuel: "Electric", price: 55_000m));
        await host.AddAsync(ShowroomHost.Vehicle(ShowroomHost.NewVin(), "BMW", "i4", fuel: "Electric", price: 38_000m, status: "Demo"));

        // Electric under 50,000, cheapest first: the buyer saves it; saving it again (a retry) is the same search.
        var request = new { name = "Cheap EVs", criteria = new { fuel = "Electric", maxPrice = 50_000m, sort = "price" } };
        var (status, saved, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/saved-searches", host.Customer, request);
        response.Dispose();
        Assert.Equal(HttpStatusCode.Created, status);
        var id = saved.GetProperty("id").GetString()!;
        var (again, retried, retry) = await host.SendAsync(HttpMethod.Post, "/api/showroom/saved-searches", host.Customer, request);
        retry.Dispose();
        Assert.Equal((HttpStatusCode.OK, id), (again, retried.GetProperty("id").GetString()));
        Assert.Equal([id], Ids(await host.OkAsync(HttpMethod.Get, "/api/showroom/saved-searches", host.Customer)));

        // The first run: the only available electric car under 50,000 (the BMW is a demo car a customer never sees), new.
        var run = await host.OkAsync(HttpMethod.Post, $"/api/showroom/saved-searches/{id}/runs", host.Customer);
        Assert.Equal([first], Vins(run));
        Assert.Equal([first], Strings(run.GetProperty("newMatches")));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("previousRunAt").ValueKind);

        // A cheaper one arrives: the next run lists both, cheapest first, and only the arrival is new.
        var arrival = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(arrival, "Hyundai", "Ioniq 5", fuel: "Electric", price: 35_000m));
        var next = await host.OkAsync(HttpMethod.Post, $"/api/showroom/saved-searches/{id}/runs", host.Customer);
        Assert.Equal([arrival, first], Vins(next));
        Assert.Equal([arrival], Strings(next.GetProperty("newMatches")));
        Assert.Equal(2, next.GetProperty("search").GetProperty("runs").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, next.GetProperty("previousRunAt").ValueKind);

        // Someone else of the dealership, or of another one, neither lists nor runs nor deletes it.
        var colleague = host.Token("customer-2", "customer");
        Assert.Empty(Ids(await host.OkAsync(HttpMethod.Get, "/api/showroom/saved-searches", colleague)));
        await ExpectAsync(host, HttpStatusCode.NotFound, HttpMethod.Post, $"/api/showroom/saved-searches/{id}/runs", colleague);
        await ExpectAsync(host, HttpStatusCode.NotFound, HttpMethod.Delete, $"/api/showroom/saved-searches/{id}", host.TokenFor("sr-elsewhere", "customer-1", "customer"));

        // Deleted, it is gone for its owner too; saving the name again brings it back with the new criteria and a fresh history.
        await ExpectAsync(host, HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/showroom/saved-searches/{id}", host.Customer);
        Assert.Empty(Ids(await host.OkAsync(HttpMethod.Get, "/api/showroom/saved-searches", host.Customer)));
        await ExpectAsync(host, HttpStatusCode.NotFound, HttpMethod.Post, $"/api/showroom/saved-searches/{id}/runs", host.Customer);
        var back = await host.OkAsync(HttpMethod.Post, "/api/showroom/saved-searches", host.Customer, new { name = "cheap evs", criteria = new { make = "Tesla" } });
        Assert.Equal((id, 0, "Tesla"), (back.GetProperty("id").GetString(), back.GetProperty("runs").GetInt32(), back.GetProperty("criteria").GetProperty("make").GetString()));
    }

    [Fact]
    public async Task BadCriteriaOrName_IsAProblemNamingTheField_AndStoresNothing()
    {
        await using var host = ShowroomHost.Start(emulators);
        (object Body, string Field)[] cases =
        [
            (new { name = "", criteria = new { make = "VW" } }, "name"),
            (new { name = "No criteria" }, "criteria"),
            (new { name = "Bad sort", criteria = new { sort = "cheapest" } }, "criteria.sort"),
            (new { name = "Distance", criteria = new { sort = "distance" } }, "criteria.sort"),
            (new { name = "Prices", criteria = new { minPrice = 30_000m, maxPrice = 20_000m } }, "criteria.maxPrice"),
            (new { name = "Half a point", criteria = new { lat = 48.1 } }, "criteria.lat"),
        ];
        foreach (var (body, field) in cases)
        {
            var problem = await ExpectAsync(host, HttpStatusCode.BadRequest, HttpMethod.Post, "/api/showroom/saved-searches", host.Customer, body);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
        }

        Assert.Empty(Ids(await host.OkAsync(HttpMethod.Get, "/api/showroom/saved-searches", host.Customer)));
        await ExpectAsync(host, HttpStatusCode.BadRequest, HttpMethod.Post, "/api/showroom/saved-searches/not%20an%20id/runs", host.Customer);
    }

    private static async Task<JsonElement> ExpectAsync(ShowroomHost host, HttpStatusCode expected, HttpMethod method, string path, string token, object? body = null)
    {
        var (status, json, response) = await host.SendAsync(method, path, token, body);
        response.Dispose();
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status} {json}");
        return json;
    }

    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static List<string> Vins(JsonElement run) => [.. run.GetProperty("result").GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("vin").GetString()!)];

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
