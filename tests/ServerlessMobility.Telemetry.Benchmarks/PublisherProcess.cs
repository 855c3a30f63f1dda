using System.Diagnostics;
using System.Globalization;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Telemetry.Benchmarks;

/// <summary>
/// The load generator of the end-to-end run, in a process of its own so that its CPU is not the host's and its limit
/// can be measured apart: this program re-invoked with <c>publish</c>, driven over its standard input and output.
/// Device keys travel on standard input, never on the command line (which other users of the machine can read).
/// Protocol, one line each: <c>device ID KEY</c> (repeated), <c>connect PORT HUB</c>, <c>run RATE SECONDS</c> (RATE 0:
/// as fast as the broker acknowledges), <c>disconnect</c>, <c>quit</c>; it answers each with one line starting with
/// <c>ok</c> or <c>error</c>.
/// </summary>
internal static class PublisherProcess
{
    public static async Task<int> RunChildAsync()
    {
        var devices = new List<(string Id, string Key)>();
        var vehicles = new List<SimulatedVehicle>();
        var sentPerVehicle = new Dictionary<string, long>(StringComparer.Ordinal);
        string? line;
        while ((line = await Console.In.ReadLineAsync()) is not null)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                switch (words)
                {
                    case ["device", var id, var key]:
                        devices.Add((id, key));
                        continue;
                    case ["connect", var port, var hub]:
                        foreach (var (id, key) in devices)
                        {
                            var vehicle = new SimulatedVehicle(IoTHubConnection.Local(id, key, int.Parse(port, CultureInfo.InvariantCulture), hubHostName: hub));
                            await vehicle.ConnectAsync();
                            vehicles.Add(vehicle);
                        }

                        Console.WriteLine($"ok connected {vehicles.Count}");
                        break;
                    case ["run", var rate, var seconds]:
                        var (sent, elapsed) = await PublishAsync(vehicles, sentPerVehicle, double.Parse(rate, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok sent {sent} seconds {elapsed:0.000}"));
                        break;
                    case ["disconnect"]:
                        foreach (var vehicle in vehicles)
                        {
                            await vehicle.DisposeAsync();
                        }

                        vehicles.Clear();
                        Console.WriteLine("ok disconnected");
                        break;
                    case ["quit"]:
                        return 0;
                    default:
                        Console.WriteLine($"error unknown command '{words.FirstOrDefault()}'");
                        break;
                }
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or FormatException or OperationCanceledException)
            {
                Console.WriteLine($"error {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            }
        }

        return 0;
    }

    /// <summary>Every vehicle sends its share of <paramref name="rate"/>, paced against the clock (0: unpaced), QoS 1.</summary>
    private static async Task<(long Sent, double Seconds)> PublishAsync(List<SimulatedVehicle> vehicles, Dictionary<string, long> sentPerVehicle, double rate, TimeSpan duration)
    {
        var perVehicle = rate / vehicles.Count;
        var sent = 0L;
        var clock = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        await Task.WhenAll(vehicles.Select(async (vehicle, index) =>
        {
            // Readings continue where the vehicle's previous run stopped, so the pipeline never sees them as duplicates.
            var offset = sentPerVehicle.GetValueOrDefault(vehicle.Vin);
            var driver = new RouteDriver(RouteDriver.Loop(new GeoPoint(48.1 + (index * 0.001), 11.5), 2000), 60);
            long k = 0;
            for (; clock.Elapsed < duration; k++)
            {
                if (perVehicle > 0)
                {
                    var due = TimeSpan.FromSeconds(k / perVehicle);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }
                }

                await vehicle.SendAsync(driver.Next(TimeSpan.FromSeconds(1), start.AddSeconds(offset + k)));
                Interlocked.Increment(ref sent);
            }

            lock (sentPerVehicle)
            {
                sentPerVehicle[vehicle.Vin] = offset + k;
            }
        }));
        return (sent, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>The parent's side: starts the child and sends it commands.</summary>
internal sealed class PublisherClient : IAsyncDisposable
{
    private readonly Process _process;

    private PublisherClient(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public static PublisherClient Start(IEnumerable<(string Id, string Key)> devices)
    {
        // Under "dotnet X.dll" the process path is the dotnet host and the program is named first; under the apphost not.
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(processPath) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PublisherClient).Assembly.Location);
        }

        start.ArgumentList.Add("publish");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The publisher process did not start.");
        foreach (var (id, key) in devices)
        {
            process.StandardInput.WriteLine($"device {id} {key}");
        }

        return new PublisherClient(process);
    }

    public Task ConnectAsync(int port, string hub) => CommandAsync($"connect {port.ToString(CultureInfo.InvariantCulture)} {hub}");

    public Task DisconnectAsync() => CommandAsync("disconnect");

    /// <summary>Publishes at <paramref name="rate"/> messages/s (0: as fast as acknowledged) for the duration.</summary>
    public async Task<(long Sent, double Seconds)> RunAsync(double rate, TimeSpan duration)
    {
        var words = (await CommandAsync(string.Create(CultureInfo.InvariantCulture, $"run {rate:0} {duration.TotalSeconds:0.###}"))).Split(' ');
        return (long.Parse(words[2], CultureInfo.InvariantCulture), double.Parse(words[4], CultureInfo.InvariantCulture));
    }

    /// <summary>CPU the publisher process has used so far (Linux /proc).</summary>
    public TimeSpan Cpu() => Machine.ProcessCpu(_process.Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<string> CommandAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var answer = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The publisher process exited.");
        return answer.StartsWith("ok", StringComparison.Ordinal) ? answer : throw new InvalidOperationException($"The publisher answered '{answer}' to '{command.Split(' ')[0]}'.");
    }
}
