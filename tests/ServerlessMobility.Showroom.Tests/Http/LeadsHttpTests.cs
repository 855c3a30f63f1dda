using System.Net;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>Leads through the local host's real pipeline on the real emulators: capture, de-duplication, assignment, stages, conversion, points.</summary>
public sealed class LeadsHttpTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task Capture_AssignsTheLeastBusy_MergesTheSamePerson_AndReplaysARetriedDelivery()
    {
        await using var host = LeadsHost.Start(emulators);
        await host.RosterAsync();
        var sam = host.Staff("sam");

        var ada = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("ada@example.test"));
        var bob = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("bob@example.test", name: "Bob"));
        var adaId = ada.GetProperty("id").GetString()!;

        // Nobody had leads: sam first (ties by id), then tess, who has fewer.
        Assert.Equal("sam", ada.GetProperty("assignedTo").GetString());
        Assert.Equal("tess", bob.GetProperty("assignedTo").GetString());
        Assert.Equal("New", ada.GetProperty("stage").GetString());
        Assert.Equal("ada@example.test", ada.GetProperty("email").GetString());

        // The same person by e-mail in other case, now with a phone: merged into Ada's lead as an activity.
        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/showroom/leads", host.Staff("tess"),
            new { source = "TestDrive", name = "Ada B.", email = "ADA@Example.TEST", phone = "+4915112345678", hasTradeIn = true });
        Assert.Equal(adaId, again.GetProperty("id").GetString());
        Assert.True(again.GetProperty("merged").GetBoolean());
        Assert.True(again.GetProperty("hasTradeIn").GetBoolean());
        Assert.Equal("WalkIn", again.GetProperty("source").GetString());
        Assert.Equal("Contact", Assert.Single(again.GetProperty("activities").EnumerateArray()).GetProperty("kind").GetString());

        // Now recognised by the phone alone, from a customer's own web enquiry, which learns nothing of the lead.
        var receipt = await host.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/showroom/leads/enquiries", host.Token("cust-ada", "customer"),
            new { name = "Ada", phone = "+4915112345678", message = "Is the Golf still there?" });
        Assert.True(receipt.GetProperty("received").GetBoolean());
        Assert.False(receipt.TryGetProperty("id", out _));
        var lead = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{adaId}", sam);
        Assert.Equal(2, lead.GetProperty("activities").GetArrayLength());
        Assert.Equal("cust-ada", lead.GetProperty("customerSubject").GetString());

        // A delivery retried with its Idempotency-Key is answered from the first, and creates nothing more.
        var carol = LeadsHost.WalkIn("carol@example.test", name: "Carol");
        var first = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, carol, idempotencyKey: "capture-carol-1");
        using (var replay = await host.SendAsync(HttpMethod.Post, "/api/showroom/leads", sam, carol, idempotencyKey: "capture-carol-1"))
        {
            Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            var replayed = JsonDocument.Parse(await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(first.GetProperty("id").GetString(), replayed.GetProperty("id").GetString());
        }

        var carolNow = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{first.GetProperty("id").GetString()}", sam);
        Assert.Empty(carolNow.GetProperty("activities").EnumerateArray());

        // Five desks capture a new person at once: one lead, four merges.
        var dan = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await host.SendAsync(HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("dan@example.test", name: "Dan"));
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, text);
            return (response.StatusCode, Id: JsonDocument.Parse(text).RootElement.GetProperty("id").GetString());
        }));
        Assert.Single(dan.Select(d => d.Id).Distinct());
        Assert.Single(dan, d => d.StatusCode == HttpStatusCode.Created);
        var danLead = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{dan[0].Id}", sam);
        Assert.Equal(4, danLead.GetProperty("activities").GetArrayLength());
    }

    [Fact]
    public async Task Reassignment_ByDealerAdminOnly_ToAnActiveSalesperson()
    {
        await using var host = LeadsHost.Start(emulators);
        await host.RosterAsync("sam", "tess");
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/api/showroom/salespeople/olga", host.Admin, new { name = "Olga", active = false });
        var id = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", host.Staff("sam"), LeadsHost.WalkIn("erin@example.test")))
            .GetProperty("id").GetString();

        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"/api/showroom/leads/{id}/assignment", host.Staff("sam"), new { salespersonId = "tess" });
        var problem = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/showroom/leads/{id}/assignment", host.Admin, new { salespersonId = "olga" });
        Assert.Contains("showroom-salesperson-inactive", problem.ToString(), StringComparison.Ordinal);
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/showroom/leads/{id}/assignment", host.Admin, new { salespersonId = "nobody" });
        var moved = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{id}/assignment", host.Admin, new { salespersonId = "tess" });

        Assert.Equal("tess", moved.GetProperty("assignedTo").GetString());
        Assert.Contains("Reassigned from sam to tess", moved.GetProperty("activities")[0].GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Funnel_ToASale_WithPointsOnceAndTheLeaderboard_AndBadInputIsAProblem()
    {
        await using var host = LeadsHost.Start(emulators);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var tess = host.Staff("tess");
        var lead = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("fay@example.test"));
        var id = lead.GetProperty("id").GetString()!;
        var path = $"/api/showroom/leads/{id}";

        // Bad input first: a missing contact is a 400 naming it, an unknown lead a 404, a jump in the funnel a 409, won by hand a 422.
        var invalid = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/showroom/leads", sam, new { source = "WalkIn", name = "No Contact" });
        Assert.True(invalid.GetProperty("errors").TryGetProperty("email", out _), invalid.ToString());
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/showroom/leads/lead-none", sam);
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{path}/stage", sam, new { stage = "Negotiating" });
        var byHand = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"{path}/stage", sam, new { stage = "Won" });
        Assert.Contains("showroom-lead-won-by-sale", byHand.ToString(), StringComparison.Ordinal);
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"{path}/activities", sam, new { kind = "Contact" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{path}/convert", sam, new { vehicleId = "veh-golf-1", price = 29_500m, currency = "EUR" });

        // A call contacts the lead; the same activity delivered twice (Idempotency-Key) is one activity and one award.
        host.Time.Advance(TimeSpan.FromHours(2));
        var call = new { kind = "Call", note = "Wants a test drive on Saturday" };
        var called = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/activities", sam, call, idempotencyKey: "call-1");
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/activities", sam, call, idempotencyKey: "call-1");
        Assert.Equal("Contacted", called.GetProperty("stage").GetString());
        Assert.Equal(LeadsHost.FakeClockStart.AddHours(2), called.GetProperty("firstResponseAt").GetDateTimeOffset());

        // A stale ETag is refused; the current one passes.
        using (var read = await host.SendAsync(HttpMethod.Get, path, sam))
        {
            var eTag = read.Headers.ETag!.ToString();
            await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/stage", sam, new { stage = "TestDrive" }, ifMatch: eTag);
            await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{path}/stage", sam, new { stage = "Negotiating" }, ifMatch: eTag);
        }

        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/stage", sam, new { stage = "Negotiating" });
        var sold = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/convert", sam, new { vehicleId = "veh-golf-1", price = 29_500m, currency = "EUR" });
        var soldAgain = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/convert", sam, new { vehicleId = "veh-golf-1", price = 29_500m, currency = "EUR" });

        Assert.Equal("Won", sold.GetProperty("stage").GetString());
        Assert.Equal(29_500m, sold.GetProperty("sale").GetProperty("price").GetProperty("amount").GetDecimal());
        Assert.Equal($"res-veh-golf-1-{id}", sold.GetProperty("sale").GetProperty("reservationReference").GetString());
        Assert.Equal(sold.GetProperty("sale").ToString(), soldAgain.GetProperty("sale").ToString());
        Assert.Contains((host.Tenant, "veh-golf-1", id), host.Reservations!.Calls);
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{path}/stage", sam, new { stage = "Lost" });

        // Another lead cannot buy the car already sold (the inventory says so), and nothing about that lead changes.
        var other = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", tess, LeadsHost.WalkIn("gus@example.test", name: "Gus")))
            .GetProperty("id").GetString();
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{other}/activities", tess, new { kind = "Visit" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{other}/stage", tess, new { stage = "Negotiating" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/showroom/leads/{other}/convert", tess, new { vehicleId = "veh-golf-1", price = 29_000m, currency = "EUR" });
        Assert.Equal("Negotiating", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{other}", tess)).GetProperty("stage").GetString());

        // sam: captured 5 + call 2 + test drive 10 + sale 50 = 67 (the replayed call and the second conversion earned nothing);
        // tess: captured 5 + visit 2 = 7.
        var week = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leaderboard?period=week", tess);
        Assert.Equal("2099-W02", week.GetProperty("key").GetString());
        Assert.Equal(LeadsHost.FakeClockStart.AddHours(-9), week.GetProperty("start").GetDateTimeOffset());
        var entries = week.GetProperty("entries");
        Assert.Equal(("sam", 67, 1, 1), Entry(entries[0]));
        Assert.Equal(("tess", 7, 2, 0), Entry(entries[1]));
        Assert.Equal(["bronze", "closer"], entries[0].GetProperty("badges").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal("Salesperson sam", entries[0].GetProperty("name").GetString());

        // Next week's board starts empty; the month's still holds January.
        host.Time.Advance(TimeSpan.FromDays(7));
        Assert.Empty((await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leaderboard", tess)).GetProperty("entries").EnumerateArray());
        var month = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leaderboard?period=month", tess);
        Assert.Equal("2099-01", month.GetProperty("key").GetString());
        Assert.Equal(67, month.GetProperty("entries")[0].GetProperty("points").GetInt32());
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/showroom/leaderboard?period=year", tess);
    }

    [Fact]
    public async Task ScoredLead_ConvertedToASale_ReservesTheCarInTheInventory_WhichNoOtherLeadCanThenBuy()
    {
        // The real inventory this time (no stand-in): the car is added to the dealership's stock through its API.
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync("sam");
        var sam = host.Staff("sam");
        var vin = "WBA" + Guid.NewGuid().ToString("N")[..14].ToUpperInvariant().Replace('I', '1').Replace('O', '0').Replace('Q', '9');
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/inventory", sam,
            new { vin, make = "BMW", model = "320i", year = 2024, trim = "M Sport", fuel = "Petrol", colour = "Blue", mileageKm = 10, price = 42_500m, currency = "EUR",
                location = new { lat = 48.137, lon = 11.575 } });
        var id = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("hal@example.test"))).GetProperty("id").GetString();
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{id}/activities", sam, new { kind = "Email" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{id}/stage", sam, new { stage = "Negotiating" });

        var score = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{id}/score", sam);
        Assert.InRange(score.GetProperty("probability").GetDouble(), 0, 1);
        Assert.NotEmpty(score.GetProperty("explanation").EnumerateArray());

        // A car the dealership does not have: 404, and the lead is as it was.
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/showroom/leads/{id}/convert", sam, new { vehicleId = "WBA00000000000000", price = 41_000m, currency = "EUR" });
        Assert.Equal("Negotiating", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{id}", sam)).GetProperty("stage").GetString());

        var sold = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{id}/convert", sam, new { vehicleId = vin, price = 41_000m, currency = "EUR" });
        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{id}/convert", sam, new { vehicleId = vin, price = 41_000m, currency = "EUR" });

        Assert.Equal("Won", sold.GetProperty("stage").GetString());
        Assert.Equal($"inventory:{vin}:lead:{id}", sold.GetProperty("sale").GetProperty("reservationReference").GetString());
        Assert.Equal(sold.GetProperty("sale").ToString(), again.GetProperty("sale").ToString());
        var car = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/inventory/{vin}", sam);
        Assert.Equal("Reserved", car.GetProperty("status").GetString());
        Assert.Equal(id, car.GetProperty("reservation").GetProperty("leadId").GetString());

        // Another lead cannot have the reserved car; nothing about that lead changes.
        var other = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("ida@example.test", name: "Ida")))
            .GetProperty("id").GetString();
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{other}/activities", sam, new { kind = "Visit" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{other}/stage", sam, new { stage = "Negotiating" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/showroom/leads/{other}/convert", sam, new { vehicleId = vin, price = 42_000m, currency = "EUR" });
        Assert.Equal("Negotiating", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{other}", sam)).GetProperty("stage").GetString());
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/showroom/leads/{id}/convert", sam, new { vehicleId = vin, price = 20_000.001m, currency = "EUR" });
    }

    [Fact]
    public async Task AnotherDealership_FindsNoneOfTheLeads_NorTheirPoints()
    {
        await using var host = LeadsHost.Start(emulators);
        await host.RosterAsync("sam");
        var id = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", host.Staff("sam"), LeadsHost.WalkIn("ivy@example.test")))
            .GetProperty("id").GetString();
        var otherTenant = $"sr-other-{Guid.NewGuid():N}"[..20];
        var intruder = host.TokenOfTenant(otherTenant, "sam", "dealer-staff");

        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/showroom/leads/{id}", intruder);
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/showroom/leads/{id}/score", intruder);
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/showroom/leads/{id}/activities", intruder, new { kind = "Note", note = "x" });
        Assert.Empty((await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leaderboard", intruder)).GetProperty("entries").EnumerateArray());

        // The same person captured there is a lead of that dealership, not a merge into this one's.
        var theirs = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", intruder, LeadsHost.WalkIn("ivy@example.test"));
        Assert.NotEqual(id, theirs.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, theirs.GetProperty("assignedTo").ValueKind);
    }

    private static (string?, int, int, int) Entry(JsonElement entry) =>
        (entry.GetProperty("salespersonId").GetString(), entry.GetProperty("points").GetInt32(), entry.GetProperty("rank").GetInt32(), entry.GetProperty("sales").GetInt32());
}
