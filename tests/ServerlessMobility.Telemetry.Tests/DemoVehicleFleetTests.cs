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
}
