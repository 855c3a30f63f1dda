using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>The run command's demo vehicles drive through the real broker into the real pipeline.</summary>
public class DemoVehicleFleetTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DriveVehicles_DemoSeeded_VehicleStateAppearsAndMoves()
    {
        var tenant = "demo-" + Guid.NewGuid().ToString("N")[..8];
        await using var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ResourcePrefix"] = "d" + Guid.NewGuid().ToString("N")[..10];
        factory.Settings["Demo:Seed"] = "true";
        factory.Settings["Demo:TenantId"] = tenant;
        factory.Settings["Demo:DriveVehicles"] = "true";
        factory.Settings["Demo:DriveInterval"] = "00:00:00.200";
        factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.020";
        using var client = factory.CreateClient();
        var tokenResponse = await client.PostAsJsonAsync("/api/dev/token", new { subject = "demo-staff", tenantId = tenant, roles = new[] { "dealer-staff" } }, Ct);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();

        var odometers = new List<double>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (odometers.Distinct().Count() < 2 && DateTimeOffset.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/vehicles/WDEMX000000000002/state");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                odometers.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("odometerKm").GetDouble());
            }

            await Task.Delay(200, Ct);
        }

        Assert.True(odometers.Distinct().Count() >= 2, $"The demo vehicle's state did not move within 60 s (odometer readings: {string.Join(", ", odometers)}).");
        Assert.True(odometers[^1] > odometers[0]);
    }

    /// <summary>
    /// The purchase of docs/flows/feature-activation.md ("Try it locally"), as written: the run command's demo
    /// vehicle WDEMX000000000001 reports a firmware that carries heated seats, its owner demo-customer buys them
    /// and the in-process vehicle confirms activateFeature. With the vehicles' old firmware 1.0.0 this was a 422.
    /// </summary>
    [Fact]
    public async Task DocumentedFeaturePurchase_DemoOwnersVehicle_QualifiesAndGetsActivated()
    {
        const string vin = "WDEMX000000000001";
        var tenant = "demo-" + Guid.NewGuid().ToString("N")[..8];
        await using var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ResourcePrefix"] = "d" + Guid.NewGuid().ToString("N")[..10];
        factory.Settings["Demo:Seed"] = "true";
        factory.Settings["Demo:TenantId"] = tenant;
        factory.Settings["Demo:DriveVehicles"] = "true";
        factory.Settings["Demo:DriveInterval"] = "00:00:00.500";
        factory.Settings["Durable:MaxQueuePollingInterval"] = "00:00:00.250";
        factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.020";
        using var client = factory.CreateClient();
        var tokenResponse = await client.PostAsJsonAsync("/api/dev/token", new { subject = "demo-customer", tenantId = tenant, roles = new[] { "customer" } }, Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());

        // The demo data are seeded in the background after start: until then the vehicle is a 404.
        var offers = await Eventually.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync($"/api/vehicles/{vin}/features", Ct);
                return response.StatusCode == HttpStatusCode.NotFound ? default : await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            },
            o => o.ValueKind == JsonValueKind.Array && o.EnumerateArray().Any(f => f.GetProperty("code").GetString() == "heated-seats" && f.GetProperty("available").GetBoolean()),
            "heated seats to be available on the demo vehicle");
        Assert.False(offers.EnumerateArray().Single(f => f.GetProperty("code").GetString() == "performance").GetProperty("available").GetBoolean());

        using var purchase = await client.PostAsJsonAsync($"/api/vehicles/{vin}/features/heated-seats/purchase", new { duration = "OneMonth" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, purchase.StatusCode);
        await Eventually.UntilAsync(
            async () => await client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{vin}/features/subscriptions", Ct),
            s => s.EnumerateArray().Any(x => x.GetProperty("featureCode").GetString() == "heated-seats" && x.GetProperty("state").GetString() == "Active"),
            "the heated seats to be active", TimeSpan.FromSeconds(90));
    }
}
