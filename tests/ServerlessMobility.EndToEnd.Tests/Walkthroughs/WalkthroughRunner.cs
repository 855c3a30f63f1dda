using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessMobility.Testing;

namespace ServerlessMobility.EndToEnd.Tests.Walkthroughs;

/// <summary>How a walkthrough went: the script's exit code (null when it ran out of time) and what it and the host printed.</summary>
public sealed record WalkthroughOutcome(DocumentedWalkthrough Walkthrough, int? ExitCode, string ScriptOutput, string HostOutput, TimeSpan Elapsed);

/// <summary>
/// Runs a documented walkthrough as a newcomer would: a local host started the way <c>./scripts/run-local.sh</c>
/// starts it, then the block pasted into <c>bash -euo pipefail</c>. Each walkthrough gets a host of its own (own
/// storage prefix and database on the shared emulators), because some switch a simulator to manual for the whole
/// tenant and the demo vehicles are shared by every flow. Only three substitutions are made to the script, since
/// the host cannot take the documented ports while other tests run: the origin http://127.0.0.1:7071 becomes the
/// host's, the MQTT port 1883 (<c>--port 1883</c>) its broker's, and <c>dotnet run --project
/// functions/ServerlessMobility.VehicleSimulator --</c> the simulator built next to these tests (the project is
/// referenced, so it is copied here; the test neither builds nor races another build).
/// </summary>
public static partial class WalkthroughRunner
{
    public const string DocumentedOrigin = "http://127.0.0.1:7071";
    public const string SimulatorCommand = "dotnet run --project functions/ServerlessMobility.VehicleSimulator --";

    /// <summary>The five settings run-local.sh generates into local.settings.json on its first run.</summary>
    public static readonly IReadOnlyList<string> GeneratedKeys =
    [
        "Security__Pii__EncryptionKey", "Security__Pii__LookupKey", "Auth__DevSigningKey",
        "CarAsAService__Webhooks__PaymentsSecret", "CarAsAService__Webhooks__FactorySecret",
    ];

    private static readonly TimeSpan HostReadyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);

    /// <summary>The script with the documented origin, MQTT port and simulator command pointed at this host.</summary>
    public static string Rewrite(string script, int httpPort, int mqttPort, string simulatorAssembly)
    {
        ArgumentNullException.ThrowIfNull(script);
        var rewritten = script.Replace(DocumentedOrigin, $"http://127.0.0.1:{httpPort}", StringComparison.Ordinal)
            .Replace(SimulatorCommand, $"dotnet '{simulatorAssembly}'", StringComparison.Ordinal);
        return DocumentedMqttPort().Replace(rewritten, $"--port {mqttPort.ToString(CultureInfo.InvariantCulture)}");
    }

    public static async Task<WalkthroughOutcome> RunAsync(DocumentedWalkthrough walkthrough, PlatformEmulators emulators)
    {
        ArgumentNullException.ThrowIfNull(walkthrough);
        ArgumentNullException.ThrowIfNull(emulators);
        var simulator = Path.Combine(AppContext.BaseDirectory, "ServerlessMobility.VehicleSimulator.dll");
        if (!File.Exists(simulator))
        {
            throw new InvalidOperationException($"The vehicle simulator is not built next to the tests ({simulator}).");
        }

        // The script's working directory plays the repository root: it holds the local.settings.json the run
        // command would have made, which the host reads and the webhook walkthrough takes its secret from.
        var workDirectory = Directory.CreateTempSubdirectory("walkthrough-" + walkthrough.Name + "-").FullName;
        var started = Stopwatch.StartNew();
        try
        {
            var settingsFile = Path.Combine(workDirectory, "local.settings.json");
            await File.WriteAllTextAsync(settingsFile, LocalSettingsAsRunLocalMakesThem());
            var httpPort = FreeTcpPort.Next();
            var mqttPort = FreeTcpPort.Next();
            var settings = emulators.Settings();

            // The keys for personal data come from the generated local.settings.json, as with the run command.
            settings.Remove("Security:Pii:EncryptionKey");
            settings.Remove("Security:Pii:LookupKey");
            settings["AzureWebJobsStorage"] = settings["Storage:ConnectionString"];
            settings["LocalSettingsPath"] = settingsFile;
            settings["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture);
            settings["CarAsAService:Simulators:CallbackBaseUrl"] = $"http://127.0.0.1:{httpPort}";
            settings["Demo:Seed"] = "true";
            settings["Demo:DriveVehicles"] = "true";
            settings["Logging:LogLevel:ServerlessMobility.LocalHost.Demo"] = "Information";
            if (walkthrough.Profile is not null)
            {
                settings["LocalHost:TimeProfile"] = walkthrough.Profile;
            }

            await using var host = await LocalHostProcess.StartAsync(settings, httpPort: httpPort);

            // A person starts pasting once the run command said the demo data are there.
            bool Seeded() => host.Process.Output.Contains("Demo data ready for tenant", StringComparison.Ordinal);
            try
            {
                // Not the test's cancellation: the first case starts every walkthrough and may end before this one.
                await Eventually.UntilAsync(() => Task.FromResult(Seeded() || host.Process.HasExited), "the host to say the demo data are ready", HostReadyTimeout,
                    cancellation: CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // Reported as the outcome below, with the host's output.
            }

            if (!Seeded())
            {
                return new WalkthroughOutcome(walkthrough, null, "(not run: the host did not finish seeding the demo data)", host.Process.Output, started.Elapsed);
            }

            var script = Path.Combine(workDirectory, "walkthrough.sh");
            await File.WriteAllTextAsync(script, Rewrite(walkthrough.Script, httpPort, mqttPort, simulator));

            // A session of its own, so that what the script started in the background (the vehicle simulator) is
            // stopped with it by the group's id when the script fails half-way.
            await using var run = ExternalProcess.Start("walkthrough " + walkthrough.Name, "setsid", ["bash", "-euo", "pipefail", script], workDirectory);
            int? exitCode;
            using (var timeout = new CancellationTokenSource(ScriptTimeout))
            {
                try
                {
                    await run.WaitForExitAsync(timeout.Token);
                    exitCode = run.ExitCode;
                }
                catch (OperationCanceledException)
                {
                    exitCode = null;
                }
            }

            await StopProcessGroupAsync(run.Id);
            return new WalkthroughOutcome(walkthrough, exitCode, run.Output, host.Process.Output, started.Elapsed);
        }
        finally
        {
            try
            {
                Directory.Delete(workDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a dying process: the temp folder is cleaned by the system.
            }
        }
    }

    /// <summary>local.settings.sample.json with the keys run-local.sh generates: 32 random bytes in base64 each.</summary>
    public static string LocalSettingsAsRunLocalMakesThem()
    {
        var sample = JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")))!;
        var values = sample["Values"]!.AsObject();
        foreach (var key in GeneratedKeys)
        {
            if (values[key]?.GetValue<string>() is "")
            {
                values[key] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }
        }

        return sample.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static async Task StopProcessGroupAsync(int processGroupId)
    {
        // setsid made the script's process the leader of a new group with its own id; "kill -- -id" reaches what is
        // left of that group (and nothing else), and fails harmlessly when nothing is.
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + processGroupId.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        await kill.WaitForExitAsync();
    }

    [GeneratedRegex(@"--port 1883\b")]
    private static partial Regex DocumentedMqttPort();
}
