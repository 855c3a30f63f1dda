using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.EndToEnd.Tests;

/// <summary>The local host started the way the README's run command starts it: a process on Kestrel.</summary>
public class LocalHostProcessTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunningHost_ServesHealthTokensAndBroker()
    {
        var settings = emulators.Settings();
        settings["Auth:DevSigningKey"] = "end-to-end-signing-key-0123456789abcdef";
        await using var host = await LocalHostProcess.StartAsync(settings);
        using var client = host.CreateClient();

        var health = await client.GetAsync(new Uri("api/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var tokenResponse = await client.PostAsJsonAsync("api/dev/token", new { subject = "op-1", tenantId = "platform", roles = new[] { "operator" } }, Ct);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        // A vehicle connects with the credentials its registration showed, and only with them.
        using var register = new HttpRequestMessage(HttpMethod.Post, "api/vehicles") { Content = JsonContent.Create(new { vin = "WE2EX000000000001" }) };
        register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var registered = await client.SendAsync(register, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var device = IoTHubConnection.LocalFromConnectionString(
            (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("device").GetProperty("connectionString").GetString()!, host.MqttPort);

        using var anonymous = new MqttClientFactory().CreateMqttClient();
        var refused = await ConnectAsync(anonymous, new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort).WithClientId(device.DeviceId).Build());
        using var mqtt = new MqttClientFactory().CreateMqttClient();
        var connected = await ConnectAsync(mqtt, new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort)
            .WithClientId(device.DeviceId).WithCredentials(device.UserName, device.Password).Build());

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused);
        Assert.Equal(MqttClientConnectResultCode.Success, connected);
        await mqtt.DisconnectAsync(cancellationToken: Ct);
    }

    private static async Task<MqttClientConnectResultCode> ConnectAsync(IMqttClient client, MqttClientOptions options)
    {
        try
        {
            return (await client.ConnectAsync(options, Ct)).ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return MqttClientConnectResultCode.UnspecifiedError;
        }
    }

    [Fact]
    public async Task RunningHost_AzuriteKilled_HealthTurns503NamingStorage()
    {
        var azurite = await AzuriteProcess.StartAsync();
        var settings = emulators.Settings();
        settings["Storage:ConnectionString"] = azurite.ConnectionString;
        await using var host = await LocalHostProcess.StartAsync(settings);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("api/health", UriKind.Relative), Ct)).StatusCode);

        await azurite.KillAsync();
        var response = await client.GetAsync(new Uri("api/health", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Unhealthy", body.GetProperty("dependencies").GetProperty("storage").GetProperty("status").GetString());

        // Asked to stop with its storage gone, it still stops by itself: leases and heartbeat expire on their own,
        // so their release is not retried for long. (Before that bound, shutdown outlasted the 30 s host timeout.)
        Assert.True(await host.Process.StopAsync(TimeSpan.FromSeconds(20)), $"The host did not stop by itself: {host.Process.Output}");
    }
}
