using System.Globalization;
using ServerlessMobility.Telemetry;
using ServerlessMobility.VehicleSimulation;

// Usage: --help, or docs/telemetry.md ("Vehicle simulator"). Examples:
//   dotnet run --project functions/ServerlessMobility.VehicleSimulator -- --vehicles 10 --port 1883 --interval-ms 1000
//   ... --vin WSMXF000000000001 --owner demo-customer --model aurora-s --firmware 3.2.0 --position 48.14,11.58 --speed 0
//   ... --default-behaviour ignore --behaviour immobilize=after:3 --duration-s 60
//   ... --connection-string "HostName=<hub>.azure-devices.net;DeviceId=<vin>;SharedAccessKey=<key>"  (one vehicle, real IoT Hub over TLS 8883)
// Without a connection string the vehicles are registered on the local host (--api, tenant --tenant) with a
// Development token, and each gets a fresh device key.
SimulatorArguments settings;
try
{
    settings = SimulatorArguments.Parse(args);
}
catch (SimulatorArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

if (settings.ShowHelp)
{
    Console.WriteLine(SimulatorArguments.HelpText);
    return 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
if (settings.Duration != Timeout.InfiniteTimeSpan)
{
    stop.CancelAfter(settings.Duration);
}

var vehicles = new List<(SimulatedVehicle Vehicle, RouteDriver Driver)>();
try
{
    List<IoTHubConnection> connections;
    if (settings.ConnectionString is { } connectionString)
    {
        // A connection string the local host issued names the hub "localhost": that one goes to the local broker.
        connections = [connectionString.Contains("HostName=localhost;", StringComparison.OrdinalIgnoreCase)
            ? IoTHubConnection.LocalFromConnectionString(connectionString, settings.Port, TimeProvider.System, settings.BrokerHost)
            : IoTHubConnection.FromConnectionString(connectionString, TimeProvider.System)];
    }
    else
    {
        using var api = new HttpClient { BaseAddress = settings.Api };
        var issued = await LocalDeviceEnrollment.ConnectionStringsAsync(api, settings.Tenant, settings.VinsToRegister, settings.Owner, settings.Model, stop.Token);
        connections = [.. issued.Select(cs => IoTHubConnection.LocalFromConnectionString(cs, settings.Port, TimeProvider.System, settings.BrokerHost))];
    }

    foreach (var (connection, index) in connections.Select((c, i) => (c, i)))
    {
        var vehicle = new SimulatedVehicle(connection) { DefaultBehaviour = settings.DefaultBehaviour };
        foreach (var (method, behaviour) in settings.Behaviours)
        {
            vehicle.Behaviours[method] = behaviour;
        }

        // Registered before connecting, so a vehicle that fails to connect is still disposed below.
        var start = settings.Position is { } position
            ? new GeoPoint(Math.Clamp(position.Lat + (index * 0.01), -90, 90), position.Lon)
            : new GeoPoint(48.137 + (index * 0.01), 11.575);
        vehicles.Add((vehicle, new RouteDriver(RouteDriver.LoopFrom(start, 2_000), settings.SpeedKmh, settings.OdometerKm) { FirmwareVersion = settings.Firmware }));
        await vehicle.ConnectAsync(stop.Token);
    }
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or FormatException or MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Adapter.MqttConnectingFailedException)
{
    await Console.Error.WriteLineAsync($"Could not start the vehicles: {ex.Message}");
    await DisposeAllAsync(vehicles);
    return 1;
}
catch (OperationCanceledException)
{
    await DisposeAllAsync(vehicles);
    return 0;
}

foreach (var (vehicle, driver) in vehicles)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{vehicle.Vin} connected: firmware {driver.FirmwareVersion}, odometer {driver.OdometerKm} km, {driver.SpeedKmh} km/h, commands: {Describe(settings)}"));
}

Console.WriteLine($"{vehicles.Count} vehicle(s) sending every {settings.Interval.TotalMilliseconds} ms. Ctrl+C to stop.");
long sent = 0;
var status = 0;
using var timer = new PeriodicTimer(settings.Interval);
try
{
    while (await timer.WaitForNextTickAsync(stop.Token))
    {
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(vehicles.Select(v => v.Vehicle.SendAsync(v.Driver.Next(settings.Interval, now), cancellationToken: stop.Token)));
        sent += vehicles.Count;
        foreach (var (vehicle, _) in vehicles)
        {
            // What the platform asked for, so a person watching the console sees the commands arrive.
            while (vehicle.ReceivedMethods.TryDequeue(out var received))
            {
                var behaviour = settings.Behaviours.TryGetValue(received.Method, out var b) ? b : settings.DefaultBehaviour;
                Console.WriteLine($"{vehicle.Vin} received {received.Method} {received.Payload} -> {Name(behaviour)}");
            }
        }
    }
}
catch (OperationCanceledException)
{
    // Ctrl+C or the duration elapsed.
}
catch (MQTTnet.Exceptions.MqttCommunicationException ex)
{
    await Console.Error.WriteLineAsync($"The broker went away: {ex.Message}");
    status = 1;
}

Console.WriteLine($"Sent {sent} messages.");
await DisposeAllAsync(vehicles);
return status;

static async Task DisposeAllAsync(List<(SimulatedVehicle Vehicle, RouteDriver Driver)> vehicles)
{
    foreach (var (vehicle, _) in vehicles)
    {
        await vehicle.DisposeAsync();
    }
}

static string Describe(SimulatorArguments settings) =>
    string.Join(", ", SimulatedVehicle.SupportedMethods.Select(m => $"{m} {Name(settings.Behaviours.TryGetValue(m, out var b) ? b : settings.DefaultBehaviour)}"));

static string Name(MethodBehaviour behaviour) => behaviour.Outcome switch
{
    MethodOutcome.Succeed when behaviour.SucceedOnAttempt > 1 => string.Create(CultureInfo.InvariantCulture, $"refuse until attempt {behaviour.SucceedOnAttempt}"),
    MethodOutcome.Succeed => "answer",
    MethodOutcome.Fail => "refuse",
    MethodOutcome.TimeOut => "ignore",
    _ => "late answer",
};
