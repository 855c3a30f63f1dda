using System.Globalization;

namespace ServerlessMobility.Testing;

/// <summary>
/// The local host as a separate OS process on real Kestrel, for tests that kill it (crash recovery)
/// or run two of them (partition hand-over). It runs the build output next to the test assembly.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private LocalHostProcess(ExternalProcess process, int httpPort, int mqttPort)
    {
        Process = process;
        HttpPort = httpPort;
        MqttPort = mqttPort;
    }

    public ExternalProcess Process { get; }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <param name="httpPort">The HTTP port, for settings that must name the host's own address (simulator callbacks); a free one when null.</param>
    public static async Task<LocalHostProcess> StartAsync(IDictionary<string, string?> settings, string environment = "Development", int? httpPort = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var assembly = Path.Combine(AppContext.BaseDirectory, "ServerlessMobility.LocalHost.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The local host is not built next to the tests ({assembly}).");
        }

        var mqttPort = settings.TryGetValue("Mqtt:Port", out var configured) && configured is not null
            ? int.Parse(configured, CultureInfo.InvariantCulture)
            : FreeTcpPort.Next();
        var (process, port) = await ExternalProcess.StartListeningAsync(
            "local-host",
            "dotnet",
            _ => [assembly],
            // "Now listening on" names the address this process bound (a connection test would also pass on a port another
            // process took first).
            port => $"Now listening on: http://127.0.0.1:{port}",
            TimeSpan.FromSeconds(60),
            port: httpPort,
            workingDirectory: AppContext.BaseDirectory,
            environment: port => EnvironmentOf(settings, environment, port, mqttPort));
        return new LocalHostProcess(process, port, mqttPort);
    }

    private static Dictionary<string, string?> EnvironmentOf(IDictionary<string, string?> settings, string environment, int port, int mqttPort)
    {
        var environmentVariables = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["LocalHost__Urls"] = $"http://127.0.0.1:{port}",
            ["Mqtt__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["LocalSettingsPath"] = "(none)",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            if (key is not "Mqtt:Port")
            {
                environmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        return environmentVariables;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Task KillAsync() => Process.KillAsync();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
