using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>
/// IoT Hub's device contract on the real embedded broker (issue 16, item 1): a device authenticates with a SAS
/// token signed by its own key, sees only its own topics, a direct method reaches only the target device and only
/// the target's answer counts, devices cannot publish method requests, and request ids cannot be guessed.
/// </summary>
public sealed partial class BrokerDeviceContractTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_WithoutAValidSasTokenOfItsOwnKey_NotAuthorized()
    {
        await using var world = await World.StartAsync(emulators);
        var (vin, key) = await world.RegisterAsync("WSASX000000000001");
        var (otherVin, otherKey) = await world.RegisterAsync("WSASX000000000002");
        var hub = IoTHubConnection.LocalHubHostName;
        var valid = IoTHubConnection.Local(vin, key, world.Port);

        var results = new Dictionary<string, MqttClientConnectResultCode>
        {
            ["valid"] = await TryConnectAsync(world.Port, valid.DeviceId, valid.UserName, valid.Password),
            ["no password"] = await TryConnectAsync(world.Port, vin, valid.UserName, null),
            ["any password"] = await TryConnectAsync(world.Port, vin, valid.UserName, "local-development"),
            ["another device's key"] = await TryConnectAsync(world.Port, vin, valid.UserName, SharedAccessSignature.ForDevice(hub, vin, otherKey, DateTimeOffset.UtcNow.AddHours(1))),
            ["a random key"] = await TryConnectAsync(world.Port, vin, valid.UserName, SharedAccessSignature.ForDevice(hub, vin, DeviceKeys.NewKey(), DateTimeOffset.UtcNow.AddHours(1))),
            ["expired"] = await TryConnectAsync(world.Port, vin, valid.UserName, SharedAccessSignature.ForDevice(hub, vin, key, DateTimeOffset.UtcNow.AddMinutes(-1))),
            ["token for another device"] = await TryConnectAsync(world.Port, vin, valid.UserName, SharedAccessSignature.ForDevice(hub, otherVin, key, DateTimeOffset.UtcNow.AddHours(1))),
            ["token for another hub"] = await TryConnectAsync(world.Port, vin, valid.UserName, SharedAccessSignature.ForDevice("other.azure-devices.net", vin, key, DateTimeOffset.UtcNow.AddHours(1))),
            ["policy token"] = await TryConnectAsync(world.Port, vin, valid.UserName, SharedAccessSignature.Create($"{hub}/devices/{vin}", key, DateTimeOffset.UtcNow.AddHours(1), "device")),
            ["client id of another device"] = await TryConnectAsync(world.Port, otherVin, valid.UserName, valid.Password),
            ["user name of another device"] = await TryConnectAsync(world.Port, vin, $"{hub}/{otherVin}/?api-version={IoTHubConnection.ApiVersion}", valid.Password),
            ["unregistered device"] = await TryConnectAsync(world.Port, "WSASX000000000009", $"{hub}/WSASX000000000009/?api-version={IoTHubConnection.ApiVersion}",
                SharedAccessSignature.ForDevice(hub, "WSASX000000000009", key, DateTimeOffset.UtcNow.AddHours(1))),
        };

        Assert.Equal(MqttClientConnectResultCode.Success, results["valid"]);
        Assert.All(results.Where(r => r.Key != "valid"), r => Assert.True(r.Value == MqttClientConnectResultCode.NotAuthorized, $"{r.Key}: {r.Value}"));
    }

    [Fact]
    public async Task Spy_SubscribedToEveryMethod_ReceivesNothingOfAnotherVehiclesCommand_AndWildcardsAreRefused()
    {
        await using var world = await World.StartAsync(emulators);
        await using var target = await world.VehicleAsync("WSPYT000000000001");
        var (spyVin, spyKey) = await world.RegisterAsync("WSPYX000000000001");
        using var spy = await ConnectAsync(IoTHubConnection.Local(spyVin, spyKey, world.Port));
        var spied = new ConcurrentQueue<string>();
        spy.ApplicationMessageReceivedAsync += e =>
        {
            spied.Enqueue(e.ApplicationMessage.Topic + " " + Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var subscribed = await spy.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(IoTHubTopics.MethodRequestFilter)
            .WithTopicFilter("#")
            .WithTopicFilter("$iothub/#")
            .WithTopicFilter($"devices/{target.Vin}/#")
            .WithTopicFilter("$iothub/methods/res/#")
            .Build(), Ct);

        var answer = await world.Channel.InvokeAsync(target.Vin, "activateFeature", """{"feature":"heated-seats"}""", TimeSpan.FromSeconds(10), Ct);
        await target.SendAsync(new TelemetryBody { SchemaVersion = 1, Lat = 48.1, Lon = 11.5, SpeedKmh = 10, OdometerKm = 1, Timestamp = DateTimeOffset.UtcNow }, cancellationToken: Ct);

        // Positive signal: a command to the spy itself arrives after anything sent to it before.
        var own = world.Channel.InvokeAsync(spyVin, "ping", "{}", TimeSpan.FromSeconds(5), Ct);
        await Eventually.UntilAsync(() => Task.FromResult(spied.Any(t => t.StartsWith("$iothub/methods/POST/ping/", StringComparison.Ordinal))), "the spy's own command", TimeSpan.FromSeconds(20));

        Assert.True(answer.IsSuccess);
        Assert.Equal(["heated-seats"], target.ActiveFeatures);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, subscribed.Items.First().ResultCode);
        Assert.All(subscribed.Items.Skip(1), item => Assert.NotEqual(MqttClientSubscribeResultCode.GrantedQoS0, item.ResultCode));
        var only = Assert.Single(spied);
        Assert.StartsWith("$iothub/methods/POST/ping/", only, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VehicleCommandTimeoutException>(() => own); // the spy does not answer
    }

    [Fact]
    public async Task Injector_PublishingAMethodRequest_IsDisconnected_AndNoVehicleReceivesIt()
    {
        await using var world = await World.StartAsync(emulators);
        await using var target = await world.VehicleAsync("WNJCT000000000001");
        var (injectorVin, injectorKey) = await world.RegisterAsync("WNJCX000000000001");
        using var injector = await ConnectAsync(IoTHubConnection.Local(injectorVin, injectorKey, world.Port));

        await injector.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(IoTHubTopics.MethodRequest("immobilize", "1"))
            .WithPayload("{}"u8.ToArray())
            .Build(), Ct);
        await Eventually.UntilAsync(() => Task.FromResult(!injector.IsConnected || !target.ReceivedMethods.IsEmpty), "the broker to act on the injected request", TimeSpan.FromSeconds(20));

        // The target still gets the platform's own commands, so it was listening all along.
        var real = await world.Channel.InvokeAsync(target.Vin, "mobilize", "{}", TimeSpan.FromSeconds(10), Ct);

        Assert.False(injector.IsConnected);
        Assert.True(real.IsSuccess);
        Assert.Equal(["mobilize"], target.ReceivedMethods.Select(m => m.Method));
        Assert.False(target.Immobilized);
    }

    [Fact]
    public async Task AnswerFromAnotherDevice_IsIgnored_OnlyTheTargetsConnectionCompletesItsRandomRequestId()
    {
        await using var world = await World.StartAsync(emulators);
        await using var target = await world.VehicleAsync("WANST000000000001");
        target.Behaviours["immobilize"] = MethodBehaviour.TimeOut;
        var (forgerVin, forgerKey) = await world.RegisterAsync("WANSX000000000001");
        using var forger = await ConnectAsync(IoTHubConnection.Local(forgerVin, forgerKey, world.Port));

        var silent = world.Channel.InvokeAsync(target.Vin, "immobilize", "{}", TimeSpan.FromSeconds(4), Ct);
        var requestId = await Eventually.UntilAsync(() => Task.FromResult(target.ReceivedRequestIds.LastOrDefault()), id => id is not null, "the request at the target", TimeSpan.FromSeconds(20));

        // Even knowing the request id (and trying the counting ids of old), another device's 200 completes nothing.
        foreach (var rid in new[] { requestId!, "1", "2", "3" })
        {
            await forger.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(IoTHubTopics.MethodResponse(200, rid)).WithPayload("""{"result":"ok"}"""u8.ToArray()).Build(), Ct);
        }

        await Assert.ThrowsAsync<VehicleCommandTimeoutException>(() => silent);
        target.Behaviours["immobilize"] = MethodBehaviour.Succeed;
        var answered = await world.Channel.InvokeAsync(target.Vin, "immobilize", "{}", TimeSpan.FromSeconds(10), Ct);

        Assert.True(answered.IsSuccess);
        Assert.True(forger.IsConnected, "answering a request that is not its own is ignored, not a protocol violation");
        Assert.All(target.ReceivedRequestIds, id => Assert.Matches(RequestIdPattern(), id));
        Assert.Equal(2, target.ReceivedRequestIds.Distinct().Count());
    }

    [Fact]
    public async Task Device_PublishingTelemetryAsAnotherDevice_IsDisconnected_AndNothingIsIngested()
    {
        await using var world = await World.StartAsync(emulators);
        var (vin, key) = await world.RegisterAsync("WTELX000000000001");
        using var device = await ConnectAsync(IoTHubConnection.Local(vin, key, world.Port));
        var ingestion = world.Factory.Services.GetRequiredService<LocalHost.Telemetry.MqttTelemetryIngestion>();

        await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("devices/WTELV000000000001/messages/events/$.mid=forged")
            .WithPayload("""{"schemaVersion":1}"""u8.ToArray())
            .Build(), Ct);
        await Eventually.UntilAsync(() => Task.FromResult(!device.IsConnected), "the forger to be disconnected", TimeSpan.FromSeconds(20));

        Assert.Equal(0, ingestion.Ingested);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex RequestIdPattern();

    private static async Task<MqttClientConnectResultCode> TryConnectAsync(int port, string clientId, string userName, string? password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var result = await client.ConnectAsync(Options(port, clientId, userName, password), Ct);
            if (client.IsConnected)
            {
                await client.DisconnectAsync(cancellationToken: Ct);
            }

            return result.ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException ex) when (ex.Message.Contains("NotAuthorized", StringComparison.Ordinal))
        {
            return MqttClientConnectResultCode.NotAuthorized;
        }
    }

    private static async Task<IMqttClient> ConnectAsync(IoTHubConnection connection)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(connection.Port, connection.DeviceId, connection.UserName, connection.Password), Ct);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static MqttClientOptions Options(int port, string clientId, string userName, string? password) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithCredentials(userName, password)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession()
            .Build();

    private sealed class World : IAsyncDisposable
    {
        private readonly List<SimulatedVehicle> _vehicles = [];

        private World(LocalHostFactory factory, HttpClient client, string token)
        {
            Factory = factory;
            Client = client;
            Token = token;
        }

        public LocalHostFactory Factory { get; }

        public HttpClient Client { get; }

        public string Token { get; }

        public int Port => int.Parse(Factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture);

        public IVehicleCommandChannel Channel => Factory.Services.GetRequiredService<IVehicleCommandChannel>();

        public static async Task<World> StartAsync(PlatformEmulators emulators)
        {
            var factory = new LocalHostFactory(emulators);
            factory.Settings["Storage:ResourcePrefix"] = "b" + Guid.NewGuid().ToString("N")[..10];
            var client = factory.CreateClient();
            var token = await BrokerIngestionTests.TokenAsync(client, "staff-1", BrokerIngestionTests.PlatformRolesFor.Staff);
            return new World(factory, client, token);
        }

        /// <summary>Registers the vehicle; the response shows its device key once.</summary>
        public async Task<(string Vin, string Key)> RegisterAsync(string vin)
        {
            using var registered = await BrokerIngestionTests.SendAsync(Client, HttpMethod.Post, "/api/vehicles", Token, new { vin });
            Assert.True(registered.StatusCode == System.Net.HttpStatusCode.Created, $"{vin}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync(Ct)}");
            var device = (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("device");
            Assert.Equal(vin, device.GetProperty("deviceId").GetString());
            return (vin, device.GetProperty("primaryKey").GetString()!);
        }

        public async Task<SimulatedVehicle> VehicleAsync(string vin)
        {
            var (_, key) = await RegisterAsync(vin);
            var vehicle = new SimulatedVehicle(IoTHubConnection.Local(vin, key, Port));
            _vehicles.Add(vehicle);
            await vehicle.ConnectAsync(Ct);
            return vehicle;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var vehicle in _vehicles)
            {
                await vehicle.DisposeAsync();
            }

            Client.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
