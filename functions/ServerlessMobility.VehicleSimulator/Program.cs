using System.Globalization;
using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.VehicleSimulation;

// Usage (see docs/telemetry.md):
//   dotnet run --project functions/ServerlessMobility.VehicleSimulator -- --vehicles 10 --port 1883 --interval-ms 1000
//   ... --behaviour immobilize=after:3 --behaviour activateFeature=timeout --duration-s 60 --speed 50
//   ... --connection-string "HostName=<hub>.azure-devices.net;DeviceId=<vin>;SharedAccessKey=<key>"  (one vehicle, real IoT Hub over TLS 8883)
//   ... --connection-string "HostName=localhost;DeviceId=<vin>;SharedAccessKey=<key>" --port 1883  (one vehicle, the local broker)
// Without a connection string the vehicles are registered on the local host (--api, default http://127.0.0.1:7071/,
// tenant --tenant, default demo-dealership) with a Development token, and each gets a fresh device key.
var settings = ParseArguments(args);
var count = int.Parse(settings.GetValueOrDefault("vehicles", "5"), CultureInfo.InvariantCulture);
var port = int.Parse(settings.GetValueOrDefault("port", "1883"), CultureInfo.InvariantCulture);
var interval = TimeSpan.FromMilliseconds(int.Parse(settings.GetValueOrDefault("interval-ms", "1000"), CultureInfo.InvariantCulture));
var duration = settings.TryGetValue("duration-s", out var d) ? TimeSpan.FromSeconds(int.Parse(d, CultureInfo.InvariantCulture)) : Timeout.InfiniteTimeSpan;
var speed = double.Parse(settings.GetValueOrDefault("speed", "50"), CultureInfo.InvariantCulture);
// Device ids are VINs (17 letters and digits without I, O and Q): the platform parks telemetry from any other id.
var vinPrefix = settings.GetValueOrDefault("vin-prefix", "WSMX");
if (!ServerlessMobility.Core.Telemetry.TelemetryLimits.DeviceIdPattern().IsMatch(vinPrefix + new string('0', 13)))
{
    await Console.Error.WriteLineAsync("--vin-prefix must be 4 letters or digits without I, O and Q (a VIN is the prefix and 13 digits).");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
if (duration != Timeout.InfiniteTimeSpan)
{
    stop.CancelAfter(duration);
}

var brokerHost = settings.GetValueOrDefault("host", "127.0.0.1");
List<IoTHubConnection> connections;
if (settings.TryGetValue("connection-string", out var connectionString))
{
    // A connection string the local host issued names the hub "localhost": that one goes to the local broker.
    connections = [connectionString.Contains("HostName=localhost;", StringComparison.OrdinalIgnoreCase)
        ? IoTHubConnection.LocalFromConnectionString(connectionString, port, TimeProvider.System, brokerHost)
        : IoTHubConnection.FromConnectionString(connectionString, TimeProvider.System)];
}
else
{
    using var api = new HttpClient { BaseAddress = new Uri(settings.GetValueOrDefault("api", "http://127.0.0.1:7071/")) };
    var vins = Enumerable.Range(1, count).Select(i => vinPrefix + i.ToString("D13", CultureInfo.InvariantCulture)).ToList();
    var issued = await LocalDeviceEnrollment.ConnectionStringsAsync(api, settings.GetValueOrDefault("tenant", "demo-dealership"), vins, stop.Token);
    connections = [.. issued.Select(cs => IoTHubConnection.LocalFromConnectionString(cs, port, TimeProvider.System, brokerHost))];
}

var vehicles = new List<(SimulatedVehicle Vehicle, RouteDriver Driver)>();
foreach (var (connection, index) in connections.Select((c, i) => (c, i)))
{
    var vehicle = new SimulatedVehicle(connection);
    foreach (var behaviour in BehaviourArguments(args))
    {
        vehicle.Behaviours[behaviour.Method] = MethodBehaviour.Parse(behaviour.Value);
    }

    await vehicle.ConnectAsync(stop.Token);
    var route = RouteDriver.Loop(new GeoPoint(48.137 + (index * 0.01), 11.575), 2_000);
    vehicles.Add((vehicle, new RouteDriver(route, speed)));
}

Console.WriteLine($"{vehicles.Count} vehicle(s) connected; sending every {interval.TotalMilliseconds} ms. Ctrl+C to stop.");
long sent = 0;
using var timer = new PeriodicTimer(interval);
try
{
    while (await timer.WaitForNextTickAsync(stop.Token))
    {
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(vehicles.Select(v => v.Vehicle.SendAsync(v.Driver.Next(interval, now), cancellationToken: stop.Token)));
        sent += vehicles.Count;
    }
}
catch (OperationCanceledException)
{
    // Ctrl+C or the duration elapsed.
}

Console.WriteLine($"Sent {sent} messages.");
foreach (var (vehicle, _) in vehicles)
{
    await vehicle.DisposeAsync();
}

return 0;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i] != "--behaviour")
        {
            result[args[i][2..]] = args[i + 1];
        }
    }

    return result;
}

static IEnumerable<(string Method, string Value)> BehaviourArguments(string[] args)
{
    for (var i = 0; i + 1 < args.Length; i++)
    {
        if (args[i] == "--behaviour" && args[i + 1].Split('=', 2) is [var method, var value])
        {
            yield return (method, value);
        }
    }
}
