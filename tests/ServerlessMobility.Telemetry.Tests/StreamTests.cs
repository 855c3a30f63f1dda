using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Telemetry.Tests;

public class StreamTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stream_VehiclePublishes_ServerSentEventCarriesNewState()
    {
        await using var factory = new LocalHostFactory(emulators);
        factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.020";
        using var client = factory.CreateClient();
        var token = await DevTokens.IssueAsync(client, "op-1", "tenant-sse", "operator");
        const string Vin = "WSSEV000000000001";
        string connectionString;
        using (var register = new HttpRequestMessage(HttpMethod.Post, "/api/vehicles") { Content = JsonContent.Create(new { vin = Vin }) })
        {
            register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var registered = await client.SendAsync(register, Ct);
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            connectionString = (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("device").GetProperty("connectionString").GetString()!;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await using var vehicle = new SimulatedVehicle(IoTHubConnection.LocalFromConnectionString(connectionString, int.Parse(factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture)));
        await vehicle.ConnectAsync(Ct);
        await vehicle.SendAsync(Reading(777, 0), cancellationToken: Ct);

        // The stream's response starts with its first event, so wait for a state to exist first.
        await Eventually.UntilAsync(
            async () =>
            {
                using var stateRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/vehicles/{Vin}/state");
                stateRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var state = await client.SendAsync(stateRequest, timeout.Token);
                return state.StatusCode == HttpStatusCode.OK;
            },
            $"{Vin}'s first state");

        using var streamRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/vehicles/{Vin}/stream");
        streamRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var (firstName, first) = await NextEventAsync(reader, timeout.Token);

        await vehicle.SendAsync(Reading(778, 60), cancellationToken: Ct);
        var (eventName, data) = await NextEventAsync(reader, timeout.Token);

        Assert.Equal("state", firstName);
        Assert.Equal(777, first.GetProperty("odometerKm").GetDouble());
        Assert.Equal("state", eventName);
        Assert.Equal(778, data.GetProperty("odometerKm").GetDouble());
        Assert.Equal(42, data.GetProperty("speedKmh").GetDouble());
    }

    private static TelemetryBody Reading(double odometer, int second) =>
        new() { SchemaVersion = 1, Lat = 48.1, Lon = 11.5, SpeedKmh = 42, OdometerKm = odometer, Timestamp = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero).AddSeconds(second) };

    private static async Task<(string? Name, JsonElement Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? name = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                return (name, JsonDocument.Parse(line[5..]).RootElement.Clone());
            }
        }

        return (name, default);
    }
}
