using System.Net;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>Search and autocomplete end to end: vehicles added through the API, found through the API, per dealership.</summary>
public sealed class SearchHttpTests(PlatformEmulators emulators)
{
    // Munich, Augsburg and Berlin showrooms of one dealership.
    private const double MunichLat = 48.137;
    private const double MunichLon = 11.575;

    [Fact]
    public async Task FacetedSearch_FiltersCountsSortsAndHidesWhatCustomersMayNotSee()
    {
        await using var host = ShowroomHost.Start(emulators);
        var electricMunich = ShowroomHost.NewVin();
        var electricBerlin = ShowroomHost.NewVin();
        var electricAugsburg = ShowroomHost.NewVin();
        var petrol = ShowroomHost.NewVin();
        var demo = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(electricMunich, "Tesla", "Model 3", 2023, "Long Range", "Electric", "White", 38_900m, MunichLat, MunichLon, "Heat pump, tow bar"));
        await host.AddAsync(ShowroomHost.Vehicle(electricBerlin, "Tesla", "Model Y", 2024, "Performance", "Electric", "Red", 52_000m, 52.516, 13.378));
        await host.AddAsync(ShowroomHost.Vehicle(electricAugsburg, "BMW", "i4", 2024, "eDrive40", "Electric", "White", 57_500m, 48.371, 10.898));
        await host.AddAsync(ShowroomHost.Vehicle(petrol, "BMW", "320i", 2022, "M Sport", "Petrol", "Blue", 29_990m, MunichLat, MunichLon));
        await host.AddAsync(ShowroomHost.Vehicle(demo, "Tesla", "Model 3", 2024, "Standard", "Electric", "Black", 35_000m, MunichLat, MunichLon, status: "Demo"));

        // A customer filtering on fuel: the three electric cars for sale (not the demo), with the counts of what matched.
        var electric = await host.OkAsync(HttpMethod.Get, "/api/showroom/search?fuel=Electric", host.Customer);
        Assert.Equal(3, electric.GetProperty("total").GetInt32());
        Assert.Equal(new[] { electricAugsburg, electricBerlin, electricMunich }.Order(), Vins(electric).Order());
        var facets = electric.GetProperty("facets");
        Assert.Equal([("Tesla", 2), ("BMW", 1)], Counts(facets, "make"));
        Assert.Equal([("White", 2), ("Red", 1)], Counts(facets, "colour"));
        Assert.Equal([("Electric", 3)], Counts(facets, "fuel"));
        Assert.Equal([("2024", 2), ("2023", 1)], Counts(facets, "year"));
        Assert.Equal([("30000-50000", 1), ("50000-75000", 2)], Counts(facets, "priceBand"));

        // Staff see the demo car too; a status filter narrows to it.
        Assert.Equal(4, (await host.OkAsync(HttpMethod.Get, "/api/showroom/search?fuel=Electric", host.Staff)).GetProperty("total").GetInt32());
        Assert.Equal([demo], Vins(await host.OkAsync(HttpMethod.Get, "/api/showroom/search?status=Demo", host.Staff)));

        // Full text over make, model, trim, colour and description; the last word may be unfinished.
        Assert.Equal([electricMunich], Vins(await host.OkAsync(HttpMethod.Get, "/api/showroom/search?q=tow%20ba", host.Customer)));
        Assert.Equal([electricBerlin], Vins(await host.OkAsync(HttpMethod.Get, "/api/showroom/search?q=tesla%20red", host.Customer)));
        Assert.Empty(Vins(await host.OkAsync(HttpMethod.Get, "/api/showroom/search?q=diesel", host.Customer)));

        // Price range and sort by price.
        var band = await host.OkAsync(HttpMethod.Get, "/api/showroom/search?minPrice=30000&maxPrice=55000&sort=price-desc", host.Customer);
        Assert.Equal([electricBerlin, electricMunich], Vins(band));

        // Nearest first from Munich, with the distance of each.
        var near = await host.OkAsync(HttpMethod.Get, $"/api/showroom/search?make=bmw&lat={MunichLat}&lon={MunichLon}&sort=distance", host.Customer);
        Assert.Equal([petrol, electricAugsburg], Vins(near));
        Assert.Equal(0, near.GetProperty("hits")[0].GetProperty("distanceKm").GetDouble());
        Assert.InRange(near.GetProperty("hits")[1].GetProperty("distanceKm").GetDouble(), 50, 60);

        // A status change reaches the index: the reserved car leaves the customer's results at once.
        await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{electricBerlin}/status", host.Staff, new { status = "Reserved", leadId = "lead-7" });
        Assert.Equal(2, (await host.OkAsync(HttpMethod.Get, "/api/showroom/search?fuel=Electric", host.Customer)).GetProperty("total").GetInt32());

        // Bad parameters are a 400 naming them.
        var (status, problem, response) = await host.SendAsync(HttpMethod.Get, "/api/showroom/search?sort=distance&minPrice=-1", host.Customer);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("sort", out _) && problem.GetProperty("errors").TryGetProperty("minPrice", out _), problem.ToString());
        response.Dispose();
    }

    [Fact]
    public async Task ARepeatedSearch_IsAnsweredAgainAfterEveryWrite_NeverFromAnOutOfDateCopy()
    {
        await using var host = ShowroomHost.Start(emulators);
        var first = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(first, "Kia", "EV6", fuel: "Electric", price: 45_000m));
        const string path = "/api/showroom/search?make=kia&sort=price";
        Assert.Equal([first], Vins(await host.OkAsync(HttpMethod.Get, path, host.Customer)));
        Assert.Equal([first], Vins(await host.OkAsync(HttpMethod.Get, path, host.Customer)));

        // A cheaper Kia arrives, then the first is reserved: the very same search follows each write at once.
        var second = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(second, "Kia", "Niro", fuel: "Electric", price: 33_000m));
        Assert.Equal([second, first], Vins(await host.OkAsync(HttpMethod.Get, path, host.Customer)));
        await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{first}/status", host.Staff, new { status = "Reserved", leadId = "lead-9" });
        var after = await host.OkAsync(HttpMethod.Get, path, host.Customer);
        Assert.Equal([second], Vins(after));
        Assert.Equal([("Kia", 1)], Counts(after.GetProperty("facets"), "make"));
    }

    [Fact]
    public async Task Autocomplete_SuggestsMakesModelsAndTrims_MostStockedFirst()
    {
        await using var host = ShowroomHost.Start(emulators);
        await host.AddAsync(ShowroomHost.Vehicle(ShowroomHost.NewVin(), "Volkswagen", "Golf", trim: "GTI"));
        await host.AddAsync(ShowroomHost.Vehicle(ShowroomHost.NewVin(), "Volkswagen", "Golf", trim: "R"));
        await host.AddAsync(ShowroomHost.Vehicle(ShowroomHost.NewVin(), "Volkswagen", "Polo", trim: null));
        await host.AddAsync(ShowroomHost.Vehicle(ShowroomHost.NewVin(), "Volvo", "XC60", trim: "Plus", status: "Demo"));

        var vo = await host.OkAsync(HttpMethod.Get, "/api/showroom/search/suggest?prefix=vo", host.Customer);
        Assert.Equal(["Volkswagen", "Volkswagen Golf", "Volkswagen Polo", "Volkswagen Golf R", "Volkswagen Golf GTI"], Strings(vo.GetProperty("suggestions")));
        var golf = await host.OkAsync(HttpMethod.Get, "/api/showroom/search/suggest?prefix=volkswagen%20golf%20g", host.Customer);
        Assert.Equal(["Volkswagen Golf GTI"], Strings(golf.GetProperty("suggestions")));

        // Staff also get the demo car's names.
        Assert.Contains("Volvo XC60", Strings((await host.OkAsync(HttpMethod.Get, "/api/showroom/search/suggest?prefix=vo", host.Staff)).GetProperty("suggestions")));
        var (status, _, response) = await host.SendAsync(HttpMethod.Get, "/api/showroom/search/suggest?prefix=%20", host.Customer);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        response.Dispose();
    }

    [Fact]
    public async Task EachDealershipSearchesOnlyItsOwnStock_AndARestartedHostRebuildsTheIndexFromCosmos()
    {
        var vin = ShowroomHost.NewVin();
        var first = ShowroomHost.Start(emulators);
        await using (first)
        {
            await first.AddAsync(ShowroomHost.Vehicle(vin, "Skoda", "Octavia", description: "Isolation marker"));
            Assert.Equal([vin], Vins(await first.OkAsync(HttpMethod.Get, "/api/showroom/search?q=skoda", first.Customer)));

            var otherDealer = first.TokenFor($"sr-other-{Guid.NewGuid():N}"[..20], "staff-9", "dealer-staff");
            Assert.Empty(Vins(await first.OkAsync(HttpMethod.Get, "/api/showroom/search?q=skoda", otherDealer)));
            Assert.Empty(Strings((await first.OkAsync(HttpMethod.Get, "/api/showroom/search/suggest?prefix=sk", otherDealer)).GetProperty("suggestions")));
        }

        // A new process has no index yet: the dealership's first search loads it from what Cosmos holds.
        await using var restarted = ShowroomHost.Start(emulators, restartOf: first);
        Assert.Equal([vin], Vins(await restarted.OkAsync(HttpMethod.Get, "/api/showroom/search?q=octavia", restarted.Customer)));
    }

    private static List<string?> Vins(JsonElement result) => [.. result.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("vin").GetString())];

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(s => s.GetString())];

    private static List<(string?, int)> Counts(JsonElement facets, string name) =>
        [.. facets.GetProperty(name).EnumerateArray().Select(f => (f.GetProperty("value").GetString(), f.GetProperty("count").GetInt32()))];
}
