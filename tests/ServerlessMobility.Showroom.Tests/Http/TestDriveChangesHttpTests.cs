using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.TestDrives;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>
/// Cancelling and moving booked test drives, and the claim a crashed booking leaves in the day book, through the local
/// host's real pipeline on the real emulators and the fake clock of <see cref="LeadsHost"/> (Monday 2099-01-05 09:00 UTC).
/// </summary>
public sealed class TestDriveChangesHttpTests(PlatformEmulators emulators)
{
    private const string Drives = "/api/showroom/test-drives";
    private static readonly DateTimeOffset Ten = LeadsHost.FakeClockStart.AddHours(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_FreesTheSlot_TwiceIsHarmless_OnlyABookedDrive_OnlyItsDealership()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var golf = await CarAsync(host);
        var lead = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("cancel@example.test")))
            .GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{lead}/activities", sam, new { kind = "Call" });
        var id = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "sam", Ten, 60, lead))).GetProperty("id").GetString()!;
        Assert.Equal("TestDrive", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}", sam)).GetProperty("stage").GetString());

        // Another dealership cannot see it, let alone cancel it; customers cancel nothing; the reason is short text.
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{Drives}/{id}/cancel", host.TokenOfTenant("sr-other-dealer", "sam", "dealer-staff"), new { });
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"{Drives}/{id}/cancel", host.Token("cust-1", "customer"), new { });
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"{Drives}/{id}/cancel", sam, new { reason = new string('x', 501) });
        Assert.Equal("Booked", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{id}", sam)).GetProperty("status").GetString());

        var cancelled = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/cancel", sam, new { reason = "Customer called off" });
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("Customer called off", cancelled.GetProperty("cancellationReason").GetString());
        Assert.Equal(LeadsHost.FakeClockStart, cancelled.GetProperty("cancelledAt").GetDateTimeOffset());

        // The slot is free again: the same car and salesperson at the same time.
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "sam", Ten, 60));

        // Again: the same answer, and the new booking of the slot keeps it.
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/cancel", sam, new { reason = "Twice" });
        Assert.Equal(cancelled.ToString(), again.ToString());
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(golf, "tess", Ten, 30));

        // A cancelled drive neither moves nor starts; the lead stays where the booking put it.
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{id}/reschedule", sam, Move(Ten.AddHours(3)));
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{id}/start", sam);
        Assert.Equal("TestDrive", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}", sam)).GetProperty("stage").GetString());

        // A started drive happened: it is neither cancelled nor moved.
        var started = await StartedDriveAsync(host, sam, await CarAsync(host), "tess", Ten.AddHours(2));
        var refused = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{started}/cancel", sam, new { });
        Assert.Contains("Started", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{started}/reschedule", sam, Move(Ten.AddHours(4)));
        Assert.Equal("Started", (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{started}", sam)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reschedule_ClaimsTheNewSlotFirst_FreesTheOld_KeepsTheId_AcrossDaysToo()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var golf = await CarAsync(host);
        var polo = await CarAsync(host);
        var id = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "sam", Ten, 60))).GetProperty("id").GetString()!;
        var other = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(polo, "tess", Ten.AddHours(2), 60))).GetProperty("id").GetString()!;

        // Half an hour later, overlapping its own old slot: a drive does not block itself.
        var moved = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/reschedule", sam, Move(Ten.AddMinutes(30)));
        Assert.Equal(id, moved.GetProperty("id").GetString());
        Assert.Equal(Ten.AddMinutes(30), moved.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(Ten.AddMinutes(90), moved.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(LeadsHost.FakeClockStart, moved.GetProperty("rescheduledAt").GetDateTimeOffset());

        // The old slot is free for the car (10:00 to 10:30), the new one taken.
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "tess", Ten, 30));
        var taken = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(await CarAsync(host), "sam", Ten.AddHours(1), 15));
        Assert.Contains("sam", taken.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The same move again is harmless: same answer, nothing written.
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/reschedule", sam, Move(Ten.AddMinutes(30)));
        Assert.Equal(moved.ToString(), again.ToString());

        // Into the other drive's car and slot: 409, and nothing changed, the drive's own slot still held.
        var clash = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{id}/reschedule", sam, Move(Ten.AddHours(2), vin: polo));
        Assert.Contains(polo, clash.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(moved.ToString(), (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{id}", sam)).ToString());
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(golf, "tess", Ten.AddMinutes(60), 30));
        Assert.Equal(Ten.AddHours(2), (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{other}", sam)).GetProperty("start").GetDateTimeOffset());

        // Tomorrow, with tess and for 30 minutes: two day books; today's slot is free, tomorrow's taken.
        var tomorrow = Ten.AddDays(1);
        var across = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/reschedule", sam, Move(tomorrow, duration: 30, salesperson: "tess"));
        Assert.Equal(id, across.GetProperty("id").GetString());
        Assert.Equal("tess", across.GetProperty("salespersonId").GetString());
        Assert.Equal(tomorrow.AddMinutes(30), across.GetProperty("end").GetDateTimeOffset());
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "sam", Ten.AddMinutes(30), 60));
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(golf, "sam", tomorrow, 30));
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(polo, "sam", tomorrow, 30));
        Assert.Equal([id], await ClaimsOfAsync(host, tomorrow, golf));
        Assert.DoesNotContain(id, await ClaimsOfAsync(host, Ten, golf));

        // Off the grid is a 422, a car not in stock a 404, another dealership's drive a 404; none of them moves anything.
        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"{Drives}/{id}/reschedule", sam, Move(tomorrow.AddMinutes(7)));
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{Drives}/{id}/reschedule", sam, Move(tomorrow.AddHours(1), vin: ShowroomHost.NewVin()));
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{Drives}/{id}/reschedule", host.TokenOfTenant("sr-other-dealer", "sam", "dealer-staff"),
            Move(tomorrow.AddHours(1)));
        Assert.Equal(tomorrow, (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{id}", sam)).GetProperty("start").GetDateTimeOffset());
    }

    [Fact]
    public async Task ConcurrentMoves_OfDrivesIntoOneSlot_OnlyOneWins()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        string[] team = ["s1", "s2", "s3", "s4"];
        await host.RosterAsync(team);
        var target = await CarAsync(host);
        var ids = new List<string>();
        foreach (var (salesperson, i) in team.Select((s, i) => (s, i)))
        {
            var booked = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, host.Staff(salesperson), Booking(await CarAsync(host), salesperson, Ten, 60));
            ids.Add(booked.GetProperty("id").GetString()!);
        }

        // Four drives moved into the same car's slot at once: the day book's ETag lets exactly one in.
        var statuses = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await host.SendAsync(HttpMethod.Post, $"{Drives}/{id}/reschedule", host.Staff("s1"), Move(Ten.AddHours(2), vin: target));
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(ids.Count - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
        var winner = ids[Array.IndexOf(statuses, HttpStatusCode.OK)];
        Assert.Equal([winner], await ClaimsOfAsync(host, Ten.AddHours(2), target));
        foreach (var loser in ids.Where(id => id != winner))
        {
            Assert.Equal(Ten, (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{loser}", host.Staff("s1"))).GetProperty("start").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task ClaimOfABookingThatDiedBeforeItsDrive_HoldsTheSlotForTheGrace_ThenTheNextBookingTakesItOver()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var golf = await CarAsync(host);

        // What a booking that crashed between its two writes leaves: the claim, made by the module's own code, and no drive.
        var scheduling = host.Factory.Services.GetRequiredService<TestDriveScheduling>();
        await scheduling.ClaimAsync(host.Tenant, new TestDriveBooking("td-crashed0000001", golf, "sam", Ten, Ten.AddHours(1)), Ct);

        // While the grace runs the booking may still be creating its drive: the slot is taken.
        var held = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(golf, "tess", Ten.AddMinutes(30), 60));
        Assert.Contains(golf, held.GetProperty("detail").GetString(), StringComparison.Ordinal);
        host.Time.Advance(TimeSpan.FromMinutes(4));
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(golf, "tess", Ten.AddMinutes(30), 60));

        // After it the claim is stale: the booking takes the slot over, and the day book keeps no trace of the dead claim.
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var id = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "tess", Ten.AddMinutes(30), 60))).GetProperty("id").GetString()!;
        Assert.Equal([id], await ClaimsOfAsync(host, Ten, golf));

        // The new claim is backed by its drive: however old, it holds the slot.
        host.Time.Advance(TimeSpan.FromHours(1));
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(golf, "sam", Ten.AddMinutes(30), 60));
    }

    /// <summary>The drives holding claims of the car in the day book of <paramref name="day"/>, read from the store.</summary>
    private static async Task<List<string>> ClaimsOfAsync(LeadsHost host, DateTimeOffset day, string vin)
    {
        var days = host.Factory.Services.GetRequiredService<ITenantRepository<TestDriveDayBook>>();
        var book = (await days.GetAsync(host.Tenant, TestDriveDayBook.IdFor(day), Ct))?.Value;
        return book?.Bookings.Where(b => b.Vin == vin).Select(b => b.DriveId).ToList() ?? [];
    }

    private static async Task<string> StartedDriveAsync(LeadsHost host, string token, string vin, string salesperson, DateTimeOffset start)
    {
        var id = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, token, Booking(vin, salesperson, start, 60))).GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/licence-check", token,
            new { number = "B072RRE2345", country = "DE", expiresOn = "2101-03-01", categories = new[] { "B" }, dateOfBirth = "1985-04-12" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/waiver", token, new { signedName = "Ada Buyer", textVersion = "2099-01" });
        var started = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/start", token);
        Assert.Equal(JsonValueKind.String, started.GetProperty("startedAt").ValueKind);
        return id;
    }

    private static object Booking(string vin, string salesperson, DateTimeOffset start, int duration, string? leadId = null) =>
        new { vin, salespersonId = salesperson, customerName = "Ada Buyer", start, durationMinutes = duration, leadId };

    private static object Move(DateTimeOffset start, int? duration = null, string? salesperson = null, string? vin = null) =>
        new { start, durationMinutes = duration, salespersonId = salesperson, vin };

    private static async Task<string> CarAsync(LeadsHost host)
    {
        var vin = ShowroomHost.NewVin();
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/inventory", host.Staff("sam"), ShowroomHost.Vehicle(vin));
        return vin;
    }
}
