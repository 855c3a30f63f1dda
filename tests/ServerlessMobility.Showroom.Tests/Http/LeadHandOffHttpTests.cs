using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Showroom.Leads;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>
/// The hand-off of a showroom lead's stock car to rent-to-own, through the local host's real pipeline with both modules on the
/// real emulators: the car is reserved, the rent-to-own marketplace lists it, the lead records it, and a retry does nothing twice.
/// </summary>
public sealed class LeadHandOffHttpTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task HandOff_ReservesTheCar_ListsItOnTheRentToOwnMarketplace_AndRecordsItOnTheLead_Once()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var lead = await LeadAsync(host, sam, "rto-ada@example.test");
        var vin = ShowroomHost.NewVin();
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/inventory", sam, ShowroomHost.Vehicle(vin, make: "Toyota", model: "Corolla", year: 2023, price: 20_000m));

        // (20,000 − 2,000) × 1.20 ÷ 104 = 207.6923… → 207.70 a week; 2,000 + 104 × 207.70 = 23,600.80 in all.
        var body = new { productLine = "RentToOwn", vin = vin.ToLowerInvariant(), deposit = 2_000m, weeks = 104, location = "Munich" };
        var handOff = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam, body);
        var listingId = handOff.GetProperty("listingId").GetString()!;
        Assert.Equal(207.70m, handOff.GetProperty("weeklyInstalment").GetDecimal());
        Assert.Equal(23_600.80m, handOff.GetProperty("totalPayable").GetDecimal());
        Assert.Equal($"/api/listings/{listingId}", handOff.GetProperty("listingLink").GetString());
        Assert.Equal(vin, handOff.GetProperty("vin").GetString());
        Assert.Equal("RentToOwn", handOff.GetProperty("productLine").GetString());

        // An agent of the same tenant sees the listing on the rent-to-own marketplace, with the instalment worked out at the desk.
        var listing = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/listings/{listingId}", host.Token("agent-1", "agent"));
        Assert.Equal("Toyota", listing.GetProperty("make").GetString());
        Assert.Equal("Corolla", listing.GetProperty("model").GetString());
        Assert.Equal(2023, listing.GetProperty("year").GetInt32());
        Assert.Equal(20_000m, listing.GetProperty("price").GetDecimal());
        Assert.Equal(207.70m, listing.GetProperty("weeklyInstalment").GetDecimal());
        Assert.Equal("EUR", listing.GetProperty("currency").GetString());
        Assert.Equal("Munich", listing.GetProperty("location").GetString());

        // The car is held for the lead; the lead shows the hand-off.
        var car = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/inventory/{vin}", sam);
        Assert.Equal("Reserved", car.GetProperty("status").GetString());
        var leadNow = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}", sam);
        Assert.Equal(listingId, leadNow.GetProperty("handOff").GetProperty("listingId").GetString());
        Assert.Equal(207.70m, leadNow.GetProperty("handOff").GetProperty("weeklyInstalment").GetDecimal());
        Assert.Contains(leadNow.GetProperty("activities").EnumerateArray(), a => a.GetProperty("note").GetString()!.Contains(listingId, StringComparison.Ordinal));

        // The same hand-off again (another desk, a retry) answers the same and lists nothing more.
        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", host.Staff("tess"), body);
        Assert.Equal(listingId, again.GetProperty("listingId").GetString());
        Assert.Equal(handOff.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        var toyotas = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/listings?make=toyota", host.Token("agent-1", "agent"));
        Assert.Equal(listingId, Assert.Single(toyotas.EnumerateArray()).GetProperty("id").GetString());
        var leadAfter = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}", sam);
        Assert.Equal(leadNow.GetProperty("activities").GetArrayLength(), leadAfter.GetProperty("activities").GetArrayLength());

        // Other terms for the same car after the hand-off are a conflict, not a second listing.
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam, body with { weeks = 52 });

        // Another dealership's staff find no such lead.
        var otherTenant = host.TokenOfTenant($"other-{Guid.NewGuid():N}"[..20], "sam", "dealer-staff");
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", otherTenant, body);
    }

    [Fact]
    public async Task HandOff_RefusesTakenCars_ClosedLeads_CarsOutsideTheLine_CarAsAService_AndBadBodies_ListingNothing()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var lead = await LeadAsync(host, sam, "rto-bob@example.test");
        var agent = host.Token("agent-1", "agent");

        // A car reserved for another lead, and a sold one: 409.
        var taken = await CarAsync(host, sam, 20_000m, "Reservedmake");
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/inventory/{taken}/status", sam, new { status = "Reserved", leadId = "someone-else" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam, Body(taken));
        var sold = await CarAsync(host, sam, 20_000m, "Soldmake");
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/inventory/{sold}/status", sam, new { status = "Sold", saleId = "sale-1" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam, Body(sold));

        // A car over the line's cap (40,000 EUR by default): 422 with its rule, and the car stays available.
        var dear = await CarAsync(host, sam, 40_000.01m, "Dearmake");
        var over = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam, Body(dear));
        Assert.Equal("handoff-rent-to-own-price", over.GetProperty("rule").GetString());
        Assert.Equal("Available", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/inventory/{dear}", sam)).GetProperty("status").GetString());

        var fine = await CarAsync(host, sam, 20_000m, "Finemake");

        // A term the line does not offer (26 to 208 weeks by default): 422 with its rule.
        var term = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam,
            new { productLine = "RentToOwn", vin = fine, deposit = 0m, weeks = 10 });
        Assert.Equal("handoff-rent-to-own-term", term.GetProperty("rule").GetString());

        // Car-as-a-Service takes new factory cars only: 422 with its rule.
        var caas = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam,
            new { productLine = "CarAsAService", vin = fine, deposit = 0m, weeks = 104 });
        Assert.Equal("handoff-car-as-a-service-new-cars-only", caas.GetProperty("rule").GetString());

        // Bad bodies: 400 naming the field.
        await ExpectFieldAsync(host, sam, lead, new { vin = fine, deposit = 0m, weeks = 104 }, "productLine");
        await ExpectFieldAsync(host, sam, lead, new { productLine = "RentToOwn", vin = "NOT-A-VIN", deposit = 0m, weeks = 104 }, "vin");
        await ExpectFieldAsync(host, sam, lead, new { productLine = "RentToOwn", vin = fine, deposit = 0m, weeks = 0 }, "weeks");
        await ExpectFieldAsync(host, sam, lead, new { productLine = "RentToOwn", vin = fine, deposit = 0m }, "weeks");
        await ExpectFieldAsync(host, sam, lead, new { productLine = "RentToOwn", vin = fine, deposit = 20_000m, weeks = 104 }, "deposit");

        // An unknown car: 404. A lost lead: 409.
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam, Body(ShowroomHost.NewVin()));
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{lead}/stage", sam, new { stage = "Lost", reason = "Bought elsewhere" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam, Body(fine));

        // None of the refusals listed anything or held the fine car.
        Assert.Empty((await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/listings", agent)).EnumerateArray());
        Assert.Equal("Available", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/inventory/{fine}", sam)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AHandOffListedBeforeAFailure_IsListedOnceWhenRetriedOrRaced_AndTheRetryCompletesIt()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var lead = await LeadAsync(host, sam, "rto-cy@example.test");
        var vin = await CarAsync(host, sam, 20_000m, "Racemake");

        // What a hand-off that failed after step 2 left: the listing, sent five times at once, exists once.
        var marketplace = host.Factory.Services.GetRequiredService<IRentToOwnMarketplace>();
        var request = new RentToOwnListingRequest(host.Tenant, LeadHandOffEndpoints.HandOffId(host.Tenant, lead, vin), vin, "Racemake", "320i", 2024,
            MarketplaceVehicleType.Car, new Money(20_000m, "EUR"), 207.70m, "Munich", "sam");
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => marketplace.ListForHandOffAsync(request, TestContext.Current.CancellationToken)));
        Assert.Single(results.Select(r => r.ListingId).Distinct());
        Assert.Single(results, r => r.Created);

        // The retry through the route finds that listing and completes the hand-off on the lead.
        var handOff = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", sam,
            new { productLine = "RentToOwn", vin, deposit = 2_000m, weeks = 104 });
        Assert.Equal(results[0].ListingId, handOff.GetProperty("listingId").GetString());
        var listings = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/listings", host.Token("agent-1", "agent"));
        Assert.Equal(results[0].ListingId, Assert.Single(listings.EnumerateArray()).GetProperty("id").GetString());
    }

    private static object Body(string vin) => new { productLine = "RentToOwn", vin, deposit = 1_000m, weeks = 104 };

    private static async Task ExpectFieldAsync(LeadsHost host, string token, string lead, object body, string field)
    {
        var problem = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/showroom/leads/{lead}/hand-off", token, body);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private static async Task<string> LeadAsync(LeadsHost host, string token, string email) =>
        (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", token, LeadsHost.WalkIn(email))).GetProperty("id").GetString()!;

    private static async Task<string> CarAsync(LeadsHost host, string token, decimal price, string make)
    {
        var vin = ShowroomHost.NewVin();
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/inventory", token, ShowroomHost.Vehicle(vin, make: make, price: price));
        return vin;
    }
}
