using System.Net;
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
        await using var factory = DemoHost(tenant, driveInterval: "00:00:00.200");
        using var client = factory.CreateClient();
        await client.AuthorizeAsync("demo-staff", tenant, "dealer-staff");

        // The demo vehicles are seeded and start driving in the background after start-up.
        var first = await Eventually.UntilAsync(() => OdometerAsync(client, "WDEMX000000000002"), km => km is not null, "the demo vehicle's first state");
        await Eventually.UntilAsync(() => OdometerAsync(client, "WDEMX000000000002"), km => km > first, $"the demo vehicle's odometer to move on from {first} km");
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
        await using var factory = DemoHost(tenant, driveInterval: "00:00:00.500");
        factory.Settings["Durable:MaxQueuePollingInterval"] = "00:00:00.250";
        using var client = factory.CreateClient();
        await client.AuthorizeAsync("demo-customer", tenant, "customer");

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

    /// <summary>The local host as the run command starts it: demo data seeded for <paramref name="tenant"/>, the demo vehicles driving.</summary>
    private LocalHostFactory DemoHost(string tenant, string driveInterval)
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ResourcePrefix"] = "d" + Guid.NewGuid().ToString("N")[..10];
        factory.Settings["Demo:Seed"] = "true";
        factory.Settings["Demo:TenantId"] = tenant;
        factory.Settings["Demo:DriveVehicles"] = "true";
        factory.Settings["Demo:DriveInterval"] = driveInterval;
        factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.020";
        return factory;
    }

    /// <summary>The vehicle's odometer as its state shows it; null while it has no state.</summary>
    private static async Task<double?> OdometerAsync(HttpClient client, string vin)
    {
        using var response = await client.GetAsync(new Uri($"/api/vehicles/{vin}/state", UriKind.Relative), Ct);
        return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("odometerKm").GetDouble() : null;
    }
}
