using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>Simulated vehicles over the real embedded broker into an in-process local host on Azurite.</summary>
public class BrokerIngestionTests(PlatformEmulators emulators)
{
    private const string Tenant = "tenant-telemetry";
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Vehicles_PublishWithDuplicatesAndMalformed_StateAggregatesAndRiskEventsExact()
    {
        await using var factory = NewFactory();
        using var client = factory.CreateClient();
        var staff = await TokenAsync(client, "staff-1", PlatformRolesFor.Staff);
        var port = int.Parse(factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture);

        const int VehicleCount = 4;
        const int Steps = 12;
        var vins = Enumerable.Range(1, VehicleCount).Select(i => $"WTLMT{i:D12}").ToArray();
        await using var fleet = await ConnectFleetAsync(client, staff, port, vins);
        var vehicles = fleet.Vehicles;

        // Every vehicle: 12 readings 10 s apart; speed 150 km/h from step 3 to 8 (one speeding episode
        // of 50 s over the 30 s minimum), odometer +0.5 km per step; a resend of every third message
        // (same $.mid) and two malformed messages.
        await Task.WhenAll(vehicles.Select(async vehicle =>
        {
            for (var step = 0; step < Steps; step++)
            {
                var body = new TelemetryBody
                {
                    SchemaVersion = 1,
                    Lat = 48.137,
                    Lon = 11.575,
                    SpeedKmh = step is >= 3 and <= 8 ? 150 : 60,
                    Heading = 90,
                    OdometerKm = 5000 + (step * 0.5),
                    BatteryPercent = 80,
                    Ignition = true,
                    Dtcs = [],
                    FirmwareVersion = "2.0.0",
                    Timestamp = Day.AddSeconds(step * 10),
                };
                var id = await vehicle.SendAsync(body, cancellationToken: Ct);
                if (step % 3 == 0)
                {
                    await vehicle.SendAsync(body, id, Ct);
                }

                if (step is 4 or 9)
                {
                    await vehicle.SendRawAsync(Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"lat\":\"north\""), $"bad-{vehicle.Vin}-{step}", Ct);
                }
            }
        }));

        foreach (var vin in vins)
        {
            var state = await WaitForStateAsync(client, staff, vin, s => s.GetProperty("odometerKm").GetDouble() == 5005.5, "the last reading");
            Assert.Equal("2.0.0", state.GetProperty("firmwareVersion").GetString());
            Assert.Equal(60, state.GetProperty("speedKmh").GetDouble());

            var trips = await (await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{vin}/trips?from=2026-11-20&to=2026-11-20", staff)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            var day = Assert.Single(trips.EnumerateArray());
            Assert.Equal(5.5, day.GetProperty("distanceKm").GetDouble(), 6);
            Assert.Equal(150, day.GetProperty("maxSpeedKmh").GetDouble());
            Assert.Equal(110, day.GetProperty("drivingSeconds").GetDouble());
            Assert.Equal(Steps, day.GetProperty("messageCount").GetInt64());

            var events = await (await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{vin}/risk-events?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z", staff)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            var speeding = Assert.Single(events.EnumerateArray());
            Assert.Equal(RiskRules.Speeding, speeding.GetProperty("rule").GetString());
            Assert.Equal(Day.AddSeconds(60), speeding.GetProperty("occurredAt").GetDateTimeOffset());
        }

        var ingestion = factory.Services.GetRequiredService<LocalHost.Telemetry.MqttTelemetryIngestion>();
        Assert.Equal(VehicleCount * (Steps + 4 + 2), ingestion.Ingested);
    }

    [Fact]
    public async Task CommandChannel_VehicleAnswersAndTimesOut_RoundTripsOverBroker()
    {
        await using var factory = NewFactory();
        using var client = factory.CreateClient();
        var port = int.Parse(factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture);
        var channel = factory.Services.GetRequiredService<IVehicleCommandChannel>();
        var staff = await TokenAsync(client, "staff-1", PlatformRolesFor.Staff);
        await using var vehicle = new SimulatedVehicle(IoTHubConnection.LocalFromConnectionString(await RegisterAsync(client, staff, "WCMND000000000001"), port));
        vehicle.Behaviours["immobilize"] = MethodBehaviour.SucceedAfter(2);
        vehicle.Behaviours["deactivateFeature"] = MethodBehaviour.TimeOut;
        await vehicle.ConnectAsync(Ct);

        var activated = await channel.InvokeAsync(vehicle.Vin, "activateFeature", """{"feature":"heated-seats"}""", TimeSpan.FromSeconds(10), Ct);
        var firstImmobilize = await channel.InvokeAsync(vehicle.Vin, "immobilize", "{}", TimeSpan.FromSeconds(10), Ct);
        var secondImmobilize = await channel.InvokeAsync(vehicle.Vin, "immobilize", "{}", TimeSpan.FromSeconds(10), Ct);
        var timeout = await Assert.ThrowsAsync<VehicleCommandTimeoutException>(() => channel.InvokeAsync(vehicle.Vin, "deactivateFeature", """{"feature":"heated-seats"}""", TimeSpan.FromMilliseconds(500), Ct));
        var offline = await Assert.ThrowsAsync<VehicleCommandTimeoutException>(() => channel.InvokeAsync("WNOTCONNECTED0001", "mobilize", "{}", TimeSpan.FromSeconds(1), Ct));

        Assert.True(activated.IsSuccess);
        Assert.Equal(["heated-seats"], vehicle.ActiveFeatures);
        Assert.Equal(500, firstImmobilize.Status);
        Assert.Equal(200, secondImmobilize.Status);
        Assert.True(vehicle.Immobilized);
        Assert.Equal("deactivateFeature", timeout.MethodName);
        Assert.Equal("WNOTCONNECTED0001", offline.DeviceId);
    }

    [Fact]
    public async Task VehicleApi_OtherTenantCustomerAndBadInput_NotFoundOrProblemDetails()
    {
        await using var factory = NewFactory();
        using var client = factory.CreateClient();
        var staff = await TokenAsync(client, "staff-1", PlatformRolesFor.Staff);
        var otherTenantStaff = await TokenAsync(client, "staff-2", PlatformRolesFor.Staff, "another-tenant");
        var owner = await TokenAsync(client, "customer-1", ["customer"]);
        var stranger = await TokenAsync(client, "customer-2", ["customer"]);
        const string Vin = "WAPXT000000000001";
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Post, "/api/vehicles", staff, new { vin = Vin, ownerSubject = "customer-1" })).StatusCode);

        var geofence = await SendAsync(client, HttpMethod.Put, $"/api/vehicles/{Vin}/geofences/home", staff, new { name = "Home", kind = "Allowed", center = new { lat = 48.1, lon = 11.5 }, radiusMeters = 500 });
        var badGeofence = await SendAsync(client, HttpMethod.Put, $"/api/vehicles/{Vin}/geofences/bad", staff, new { name = "Bad", radiusMeters = 500 });
        var customerWrite = await SendAsync(client, HttpMethod.Put, $"/api/vehicles/{Vin}/geofences/x", owner, new { name = "X", center = new { lat = 1, lon = 1 }, radiusMeters = 5 });
        var ownerList = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{Vin}/geofences", owner);
        var strangerList = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{Vin}/geofences", stranger);
        var otherTenant = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{Vin}/geofences", otherTenantStaff);
        var badVin = await SendAsync(client, HttpMethod.Get, "/api/vehicles/not-a-vin/state", staff);
        var badRange = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{Vin}/trips?from=2026-02-01&to=2026-01-01", staff);
        var badDate = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{Vin}/risk-events?from=yesterday", staff);
        var tooLong = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{Vin}/trips?from=2020-01-01&to=2026-01-01", staff);
        var noState = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{Vin}/state", staff);
        var deleted = await SendAsync(client, HttpMethod.Delete, $"/api/vehicles/{Vin}/geofences/home", staff);
        var deletedAgain = await SendAsync(client, HttpMethod.Delete, $"/api/vehicles/{Vin}/geofences/home", staff);

        Assert.Equal(HttpStatusCode.OK, geofence.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badGeofence.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customerWrite.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownerList.StatusCode);
        Assert.Single((await ownerList.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, strangerList.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badVin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noState.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
        Assert.Equal("application/problem+json", badVin.Content.Headers.ContentType?.MediaType);
    }

    private LocalHostFactory NewFactory()
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ResourcePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10];
        factory.Settings["Telemetry:Rules:SpeedLimitKmh"] = "120";
        factory.Settings["Telemetry:Rules:SpeedingMinDuration"] = "00:00:30";
        factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.020";
        return factory;
    }

    /// <summary>Registers the vehicle and returns the device connection string its registration shows once.</summary>
    internal static async Task<string> RegisterAsync(HttpClient client, string token, string vin)
    {
        using var registered = await SendAsync(client, HttpMethod.Post, "/api/vehicles", token, new { vin, model = "Test EV" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("device").GetProperty("connectionString").GetString()!;
    }

    /// <summary>Registers the vehicles and connects a simulated vehicle for each over the host's broker.</summary>
    internal static async Task<SimulatedFleet> ConnectFleetAsync(HttpClient client, string token, int port, IEnumerable<string> vins)
    {
        var fleet = new SimulatedFleet();
        try
        {
            foreach (var vin in vins)
            {
                var vehicle = new SimulatedVehicle(IoTHubConnection.LocalFromConnectionString(await RegisterAsync(client, token, vin), port));
                fleet.Vehicles.Add(vehicle);
                await vehicle.ConnectAsync(Ct);
            }

            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connected simulated vehicles, disconnected together.</summary>
    internal sealed class SimulatedFleet : IAsyncDisposable
    {
        public List<SimulatedVehicle> Vehicles { get; } = [];

        public async ValueTask DisposeAsync()
        {
            foreach (var vehicle in Vehicles)
            {
                await vehicle.DisposeAsync();
            }
        }
    }

    internal static Task<string> TokenAsync(HttpClient client, string subject, string[] roles, string tenant = Tenant) =>
        DevTokens.IssueAsync(client, subject, tenant, roles);

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request, Ct);
    }

    /// <summary>Polls the vehicle's state through the API until it exists and satisfies <paramref name="condition"/>.</summary>
    internal static async Task<JsonElement> WaitForStateAsync(HttpClient client, string token, string vin, Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null)
    {
        var state = await Eventually.UntilAsync(
            async () =>
            {
                using var response = await SendAsync(client, HttpMethod.Get, $"/api/vehicles/{vin}/state", token);
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(Ct) : (JsonElement?)null;
            },
            s => s is { } value && condition(value),
            $"{vin}'s state to show {what}",
            timeout);
        return state!.Value;
    }

    internal static class PlatformRolesFor
    {
        public static readonly string[] Staff = ["dealer-staff"];
    }
}
