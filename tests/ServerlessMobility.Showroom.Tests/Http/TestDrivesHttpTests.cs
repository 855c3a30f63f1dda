using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>
/// Test drives through the local host's real pipeline on the real emulators, on the fake clock of <see cref="LeadsHost"/>
/// (Monday 2099-01-05 09:00 UTC): booking and its conflicts (concurrent ones too), the licence, the waiver, and a drive
/// tracked from the car's own telemetry over MQTT.
/// </summary>
public sealed class TestDrivesHttpTests(PlatformEmulators emulators)
{
    private const string Drives = "/api/showroom/test-drives";
    private static readonly DateTimeOffset Ten = LeadsHost.FakeClockStart.AddHours(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Booking_RefusesAnOverlappingCarOrSalesperson_SoldCars_AndSlotsOutsideTheRules()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var golf = await CarAsync(host, "Demo");
        var polo = await CarAsync(host);

        var first = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "sam", Ten, 60));
        Assert.Equal("Booked", first.GetProperty("status").GetString());
        Assert.Equal(Ten.AddHours(1), first.GetProperty("end").GetDateTimeOffset());

        // The car in an overlapping slot, whoever gives it; the salesperson in an overlapping slot, whatever the car.
        var car = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(golf, "tess", Ten.AddMinutes(30), 60));
        Assert.Contains(golf, car.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var person = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(polo, "sam", Ten.AddMinutes(45), 30));
        Assert.Contains("sam", person.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Back to back is free, and so is another salesperson with another car at the same time.
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(golf, "sam", Ten.AddHours(1), 30));
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(polo, "tess", Ten, 60));

        // Slots outside the rules are 422; a car not in stock 404; a sold car 409.
        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, Drives, sam, Booking(polo, "sam", Ten.AddHours(-2), 30));
        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, Drives, sam, Booking(polo, "sam", Ten.AddHours(3), 300));
        var grid = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, Drives, sam, Booking(polo, "sam", Ten.AddHours(3).AddMinutes(7), 30));
        Assert.Contains("15-minute grid", grid.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, Drives, sam, Booking(ShowroomHost.NewVin(), "sam", Ten.AddHours(3), 30));
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, Drives, sam, Booking("NOT-A-VIN", "sam", Ten.AddHours(3), 30));
        var sold = await CarAsync(host);
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/inventory/{sold}/status", sam, new { status = "Sold" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Drives, sam, Booking(sold, "sam", Ten.AddHours(3), 30));

        // Customers book nothing.
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, Drives, host.Token("cust-1", "customer"), Booking(polo, "sam", Ten.AddHours(4), 30));
    }

    [Fact]
    public async Task ConcurrentBookings_OfOneSlot_OnlyOneSucceeds()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        string[] team = ["s1", "s2", "s3", "s4", "s5", "s6"];
        await host.RosterAsync(team);
        var golf = await CarAsync(host);

        // Six salespeople grab the same car for overlapping slots at once: the day book's ETag lets exactly one in.
        var statuses = await Task.WhenAll(team.Select(async (s, i) =>
        {
            using var response = await host.SendAsync(HttpMethod.Post, Drives, host.Staff(s), Booking(golf, s, Ten.AddMinutes(15 * (i % 2)), 60));
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(team.Length - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Licence_ExpiredOrWithoutB_IsRefusedWith422_AndTheDriveNeedsALicenceAndAWaiverToStart()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var id = await BookAsync(host, sam, await CarAsync(host), Ten);

        var noLicence = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{id}/start", sam);
        Assert.Contains("licence", noLicence.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var expired = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"{Drives}/{id}/licence-check", sam, Licence(expiresOn: "2099-01-04"));
        Assert.Contains("expired on 2099-01-04", expired.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var refused = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{id}", sam);
        Assert.False(refused.GetProperty("licence").GetProperty("passed").GetBoolean());
        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"{Drives}/{id}/licence-check", sam, Licence(categories: ["A", "C1"]));
        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"{Drives}/{id}/licence-check", sam, Licence(dateOfBirth: "2080-06-01"));
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"{Drives}/{id}/licence-check", sam, Licence(number: "X?"));
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{id}/start", sam);

        // A valid licence is kept masked: the number never comes back whole.
        using (var response = await host.SendAsync(HttpMethod.Post, $"{Drives}/{id}/licence-check", sam, Licence()))
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("B072RRE2345", text, StringComparison.Ordinal);
            var licence = JsonDocument.Parse(text).RootElement.GetProperty("licence");
            Assert.Equal("********345", licence.GetProperty("maskedNumber").GetString());
            Assert.True(licence.GetProperty("passed").GetBoolean());
        }

        var noWaiver = await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{id}/start", sam);
        Assert.Contains("waiver", noWaiver.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"{Drives}/{id}/waiver", sam, new { signedName = "Ada Buyer", textVersion = "1999-01" });

        // The signature: the server's time and the text's hash, whatever the client says.
        var toSign = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{id}", sam)).GetProperty("waiverToSign");
        var signed = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/waiver", sam,
            new { signedName = "Ada Buyer", textVersion = toSign.GetProperty("version").GetString() });
        var waiver = signed.GetProperty("waiver");
        Assert.Equal(LeadsHost.FakeClockStart, waiver.GetProperty("signedAt").GetDateTimeOffset());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(toSign.GetProperty("text").GetString()!))),
            waiver.GetProperty("textSha256").GetString());
        Assert.Equal("sam", waiver.GetProperty("recordedBy").GetString());

        // Feedback waits for the drive to end.
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{Drives}/{id}/feedback", sam, new { rating = 5, interest = "High" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/start", sam);
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"{Drives}/{id}", host.TokenOfTenant("sr-other-dealer", "sam", "dealer-staff"));
    }

    [Fact]
    public async Task TrackedTestDrive_Book_Licence_Waiver_Start_TelemetryOverMqtt_LiveTrack_Finish_Feedback()
    {
        await using var host = LeadsHost.Start(emulators, withReservations: false, withTelemetry: true);
        await host.RosterAsync();
        var sam = host.Staff("sam");
        var lead = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", host.Staff("tess"), LeadsHost.WalkIn("drive@example.test")))
            .GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{lead}/activities", sam, new { kind = "Call" });
        var vin = await CarAsync(host, "Demo");

        // The demo car is a connected vehicle of the dealership: registered, it sends telemetry over MQTT like any vehicle.
        var registered = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/vehicles", sam, new { vin });
        var connectionString = registered.GetProperty("device").GetProperty("connectionString").GetString()!;
        await using var car = new SimulatedVehicle(IoTHubConnection.LocalFromConnectionString(connectionString, int.Parse(host.Factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture),
            host.Time));
        await car.ConnectAsync(Ct);

        // Booked for the lead: the lead moves to its test drive and the salesperson giving it gets the points.
        var booked = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, sam, Booking(vin, "sam", Ten, 60, lead));
        var id = booked.GetProperty("id").GetString()!;
        var leadNow = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}", sam);
        Assert.Equal("TestDrive", leadNow.GetProperty("stage").GetString());
        Assert.Contains(leadNow.GetProperty("activities").EnumerateArray(), a => a.GetProperty("id").GetString() == $"td-{id}");
        var board = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/leaderboard?period=week", sam)).GetProperty("entries");
        Assert.Equal(12, board.EnumerateArray().Single(e => e.GetProperty("salespersonId").GetString() == "sam").GetProperty("points").GetInt32());

        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/licence-check", sam, Licence());
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/waiver", sam, new { signedName = "Ada Buyer", textVersion = "2099-01" });

        // Before the start the car's telemetry is no part of the drive.
        await car.SendAsync(Reading(LeadsHost.FakeClockStart.AddMinutes(30), 48.137, 0), cancellationToken: Ct);
        await WaitForStateAsync(host, sam, vin, 0);

        host.Time.SetUtcNow(Ten);
        var started = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/start", sam);
        Assert.Equal("Started", started.GetProperty("status").GetString());

        // Out of town to the north: 2 km, 6 km (outside the 5 km zone) and 11 km; the 6 km reading arrives twice (a resend).
        host.Time.Advance(TimeSpan.FromMinutes(10));
        await car.SendAsync(Reading(Ten.AddMinutes(1), 48.155, 50), cancellationToken: Ct);
        await car.SendAsync(Reading(Ten.AddMinutes(3), 48.191, 90), cancellationToken: Ct);
        await car.SendAsync(Reading(Ten.AddMinutes(3), 48.191, 90), cancellationToken: Ct);
        await car.SendAsync(Reading(Ten.AddMinutes(6), 48.236, 130), cancellationToken: Ct);

        JsonElement track = default;
        await Eventually.UntilAsync(async () =>
        {
            track = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{id}/track", sam);
            return track.GetProperty("positions").GetArrayLength() >= 3;
        }, $"the track of {id} to show the car's three positions");

        Assert.Equal(3, track.GetProperty("positions").GetArrayLength());
        Assert.Equal(130, track.GetProperty("currentSpeedKmh").GetDouble());
        Assert.Equal(130, track.GetProperty("maxSpeedKmh").GetDouble());
        Assert.Equal(90, track.GetProperty("averageSpeedKmh").GetDouble());
        Assert.True(track.GetProperty("outsideGeofence").GetBoolean());
        var exit = Assert.Single(track.GetProperty("geofenceExits").EnumerateArray());
        Assert.Equal(Ten.AddMinutes(3), exit.GetProperty("at").GetDateTimeOffset());
        var alert = Assert.Single(track.GetProperty("alerts").EnumerateArray());
        Assert.Equal("GeofenceExit", alert.GetProperty("kind").GetString());
        Assert.InRange(track.GetProperty("distanceKm").GetDouble(), 8.5, 9.5);

        // Finished: the car's later telemetry is no part of the drive, and the track stays as it was.
        host.Time.Advance(TimeSpan.FromMinutes(50));
        var finished = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/finish", sam);
        Assert.Equal("Finished", finished.GetProperty("status").GetString());
        Assert.Equal(3, finished.GetProperty("positions").GetInt32());
        Assert.Equal(1, finished.GetProperty("geofenceExits").GetInt32());
        await car.SendAsync(Reading(Ten.AddMinutes(61), 48.137, 0), cancellationToken: Ct);
        await WaitForStateAsync(host, sam, vin, 0);
        var after = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Drives}/{id}/track", sam);
        Assert.Equal(3, after.GetProperty("positions").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("currentSpeedKmh").ValueKind);

        var feedback = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{Drives}/{id}/feedback", sam, new { rating = 4, interest = "High", comments = "Quiet and quick." });
        Assert.Equal(4, feedback.GetProperty("feedback").GetProperty("rating").GetInt32());
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"{Drives}/{id}/feedback", sam, new { rating = 6, interest = "High" });
        var leadAfter = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}", sam);
        Assert.Contains(leadAfter.GetProperty("activities").EnumerateArray(), a => a.GetProperty("note").GetString()?.Contains("4/5, interest High", StringComparison.Ordinal) == true);
    }

    private static async Task WaitForStateAsync(LeadsHost host, string token, string vin, double speed) =>
        await Eventually.UntilAsync(async () =>
        {
            using var response = await host.SendAsync(HttpMethod.Get, $"/api/vehicles/{vin}/state", token);
            return response.StatusCode == HttpStatusCode.OK
                && (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("speedKmh").GetDouble() == speed;
        }, $"{vin}'s state at {speed} km/h");

    private static TelemetryBody Reading(DateTimeOffset at, double lat, double speed) =>
        new() { SchemaVersion = 1, Lat = lat, Lon = 11.575, SpeedKmh = speed, OdometerKm = 1000 + speed, Timestamp = at };

    private static object Licence(string number = "b072rre2345", string expiresOn = "2101-03-01", string[]? categories = null, string dateOfBirth = "1985-04-12") =>
        new { number, country = "DE", expiresOn, categories = categories ?? ["B", "AM"], dateOfBirth };

    private static object Booking(string vin, string salesperson, DateTimeOffset start, int duration, string? leadId = null) =>
        new { vin, salespersonId = salesperson, customerName = "Ada Buyer", start, durationMinutes = duration, leadId };

    private static async Task<string> BookAsync(LeadsHost host, string token, string vin, DateTimeOffset start) =>
        (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Drives, token, Booking(vin, "sam", start, 60))).GetProperty("id").GetString()!;

    private static async Task<string> CarAsync(LeadsHost host, string? status = null)
    {
        var vin = ShowroomHost.NewVin();
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/inventory", host.Staff("sam"), ShowroomHost.Vehicle(vin, status: status));
        return vin;
    }
}
