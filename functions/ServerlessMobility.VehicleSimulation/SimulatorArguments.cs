using System.Globalization;
using ServerlessMobility.Telemetry;

namespace ServerlessMobility.VehicleSimulation;

/// <summary>A command line the vehicle simulator cannot run; the message says what to change.</summary>
public sealed class SimulatorArgumentException : Exception
{
    public SimulatorArgumentException()
        : base("Invalid arguments (see --help).")
    {
    }

    public SimulatorArgumentException(string message)
        : base(message)
    {
    }

    public SimulatorArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The vehicle simulator's command line, parsed and checked in one place so that a mistake is one clear sentence
/// (and exit code 2) before anything connects, and so the parsing is unit-tested without a broker.
/// </summary>
public sealed record SimulatorArguments
{
    public const int DefaultPort = 1883;

    /// <summary>What a newcomer reads with --help; docs/telemetry.md ("Vehicle simulator") says the same at length.</summary>
    public const string HelpText = """
        Vehicle simulator: vehicles that send telemetry and answer commands over MQTT with IoT Hub's conventions.

        Usage: dotnet run --project functions/ServerlessMobility.VehicleSimulator -- [options]

        Which vehicles (without --connection-string they are registered on the local host with a fresh device key):
          --vin <VIN>                 be this one vehicle (17 letters and digits without I, O and Q)
          --vehicles <N>              N vehicles with generated VINs (default 5; not with --vin)
          --vin-prefix <XXXX>         4 letters or digits that start the generated VINs (default WSMX)
          --owner <subject>           register the vehicle(s) to this owner (a customer's subject), e.g. demo-customer
          --model <id>                register the vehicle(s) as this model (default simulated), e.g. aurora-s
          --connection-string <cs>    one vehicle with its device connection string (HostName=localhost: the local broker;
                                      otherwise a real IoT Hub over TLS 8883); no registration then

        What it reports:
          --firmware <version>        firmware version in every reading (default 1.0.0), e.g. 2.6.0
          --odometer-km <km>          odometer at the start (default 10000)
          --position <lat,lon>        where its route starts (default near Munich); with --speed 0 it stands there
          --speed <km/h>              constant speed along a 2 km loop (default 50; 0 = parked)
          --interval-ms <ms>          one reading per vehicle every ms (default 1000)
          --duration-s <s>            stop after s seconds (default: until Ctrl+C)

        How it answers commands (activateFeature, deactivateFeature, immobilize, mobilize):
          --default-behaviour <b>     for every command without its own --behaviour (default answer)
          --behaviour <command>=<b>   per command, repeatable, e.g. --behaviour immobilize=refuse
            b = answer   (applies it, answers 200; also: succeed)
                refuse   (answers 500, applies nothing; also: fail)
                ignore   (never answers, the platform times out; also: timeout)
                late     (applies it, answers after 3 s, past a short timeout)
                after:K  (refuses until attempt K, then answers)

        Where:
          --api <url>                 the local host (default http://127.0.0.1:7071/)
          --tenant <id>               tenant the vehicles are registered in (default demo-dealership)
          --host <address>            MQTT broker address (default 127.0.0.1)
          --port <port>               MQTT broker port (default 1883)
          --help                      this text

        Exit codes: 0 done, 1 failed while running (host or broker not reachable), 2 bad arguments.
        """;

    private static readonly string[] ValueOptions =
    [
        "vin", "vehicles", "vin-prefix", "owner", "model", "connection-string", "firmware", "odometer-km", "position",
        "speed", "interval-ms", "duration-s", "default-behaviour", "behaviour", "api", "tenant", "host", "port",
    ];

    public bool ShowHelp { get; init; }

    /// <summary>The one vehicle to be, or null for <see cref="Vehicles"/> generated VINs.</summary>
    public string? Vin { get; init; }

    public int Vehicles { get; init; } = 5;

    public string VinPrefix { get; init; } = "WSMX";

    public string? Owner { get; init; }

    public string Model { get; init; } = "simulated";

    public string? ConnectionString { get; init; }

    public string Firmware { get; init; } = "1.0.0";

    public double OdometerKm { get; init; } = 10_000;

    /// <summary>Where the first vehicle's route starts; null for the default loop near Munich.</summary>
    public GeoPoint? Position { get; init; }

    public double SpeedKmh { get; init; } = 50;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to run; <see cref="Timeout.InfiniteTimeSpan"/> until Ctrl+C.</summary>
    public TimeSpan Duration { get; init; } = Timeout.InfiniteTimeSpan;

    public MethodBehaviour DefaultBehaviour { get; init; } = MethodBehaviour.Succeed;

    public IReadOnlyDictionary<string, MethodBehaviour> Behaviours { get; init; } = new Dictionary<string, MethodBehaviour>(StringComparer.Ordinal);

    public Uri Api { get; init; } = new("http://127.0.0.1:7071/");

    public string Tenant { get; init; } = "demo-dealership";

    public string BrokerHost { get; init; } = "127.0.0.1";

    public int Port { get; init; } = DefaultPort;

    /// <summary>The VINs to register (one with <see cref="Vin"/>, else the prefix and 13 digits).</summary>
    public IReadOnlyList<string> VinsToRegister => Vin is not null
        ? [Vin]
        : [.. Enumerable.Range(1, Vehicles).Select(i => VinPrefix + i.ToString("D13", CultureInfo.InvariantCulture))];

    /// <summary>Parses <paramref name="args"/>; a mistake throws <see cref="SimulatorArgumentException"/> naming the option.</summary>
    public static SimulatorArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var behaviours = new Dictionary<string, MethodBehaviour>(StringComparer.Ordinal);
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new SimulatorArgumentException($"Unexpected argument '{arg}': options start with -- (see --help).");
            }

            var (name, value) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 2 ? (arg[2..eq], arg[(eq + 1)..]) : (arg[2..], null);
            if (!ValueOptions.Contains(name, StringComparer.Ordinal))
            {
                throw new SimulatorArgumentException($"Unknown option '--{name}' (see --help).");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new SimulatorArgumentException($"--{name} needs a value (see --help).");
                }

                value = args[++i];
            }

            if (name == "behaviour")
            {
                var (method, behaviour) = ParseBehaviourAssignment(value);
                behaviours[method] = behaviour;
            }
            else
            {
                values[name] = value;
            }
        }

        if (help)
        {
            return new SimulatorArguments { ShowHelp = true };
        }

        return Build(values, behaviours);
    }

    private static SimulatorArguments Build(Dictionary<string, string> values, Dictionary<string, MethodBehaviour> behaviours)
    {
        var result = new SimulatorArguments { Behaviours = behaviours };
        if (values.TryGetValue("vin", out var vin))
        {
            vin = vin.Trim().ToUpperInvariant();
            if (!TelemetryLimits.DeviceIdPattern().IsMatch(vin))
            {
                throw new SimulatorArgumentException($"--vin '{values["vin"]}' is not a VIN: 17 letters and digits, without I, O and Q.");
            }

            if (values.ContainsKey("vehicles") || values.ContainsKey("vin-prefix"))
            {
                throw new SimulatorArgumentException("--vin is one vehicle: leave out --vehicles and --vin-prefix.");
            }

            result = result with { Vin = vin };
        }

        if (values.TryGetValue("connection-string", out var connectionString))
        {
            if (values.ContainsKey("vin") || values.ContainsKey("vehicles") || values.ContainsKey("owner") || values.ContainsKey("model"))
            {
                throw new SimulatorArgumentException("--connection-string names its one vehicle and is not registered: leave out --vin, --vehicles, --owner and --model.");
            }

            result = result with { ConnectionString = connectionString };
        }

        if (values.TryGetValue("vin-prefix", out var prefix))
        {
            prefix = prefix.ToUpperInvariant();
            if (prefix.Length != 4 || !TelemetryLimits.DeviceIdPattern().IsMatch(prefix + new string('0', 13)))
            {
                throw new SimulatorArgumentException($"--vin-prefix '{values["vin-prefix"]}' must be 4 letters or digits without I, O and Q (a VIN is the prefix and 13 digits).");
            }

            result = result with { VinPrefix = prefix };
        }

        if (values.TryGetValue("firmware", out var firmware))
        {
            if (!TelemetryLimits.FirmwareVersionPattern().IsMatch(firmware))
            {
                throw new SimulatorArgumentException($"--firmware '{firmware}' must be 1 to 64 letters, digits, '.', '_', '+' or '-' (e.g. 2.6.0).");
            }

            result = result with { Firmware = firmware };
        }

        result = result with
        {
            Vehicles = Integer(values, "vehicles", result.Vehicles, 1, 10_000),
            OdometerKm = Number(values, "odometer-km", result.OdometerKm, 0, TelemetryLimits.MaxOdometerKm),
            SpeedKmh = Number(values, "speed", result.SpeedKmh, 0, TelemetryLimits.MaxSpeedKmh),
            Interval = TimeSpan.FromMilliseconds(Integer(values, "interval-ms", (int)result.Interval.TotalMilliseconds, 10, 3_600_000)),
            Duration = values.ContainsKey("duration-s") ? TimeSpan.FromSeconds(Integer(values, "duration-s", 0, 1, int.MaxValue)) : result.Duration,
            Port = Integer(values, "port", result.Port, 1, 65_535),
            Owner = values.TryGetValue("owner", out var owner) ? NotBlank("owner", owner) : null,
            Model = values.TryGetValue("model", out var model) ? NotBlank("model", model) : result.Model,
            Tenant = values.TryGetValue("tenant", out var tenant) ? NotBlank("tenant", tenant) : result.Tenant,
            BrokerHost = values.TryGetValue("host", out var host) ? NotBlank("host", host) : result.BrokerHost,
        };
        if (values.TryGetValue("position", out var position))
        {
            result = result with { Position = ParsePosition(position) };
        }

        if (values.TryGetValue("default-behaviour", out var defaultBehaviour))
        {
            result = result with { DefaultBehaviour = ParseBehaviour("--default-behaviour", defaultBehaviour) };
        }

        if (values.TryGetValue("api", out var api))
        {
            if (!Uri.TryCreate(api, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new SimulatorArgumentException($"--api '{api}' must be an http(s) address such as http://127.0.0.1:7071/.");
            }

            // A base address without the trailing slash would drop its last segment from every relative route.
            result = result with { Api = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/") };
        }

        return result;
    }

    private static (string Method, MethodBehaviour Behaviour) ParseBehaviourAssignment(string text)
    {
        if (text.Split('=', 2) is not [var method, var value] || method.Length == 0)
        {
            throw new SimulatorArgumentException($"--behaviour '{text}' must be <command>=<behaviour>, e.g. immobilize=refuse.");
        }

        if (!SimulatedVehicle.SupportedMethods.Contains(method, StringComparer.Ordinal))
        {
            throw new SimulatorArgumentException($"--behaviour '{text}': the vehicle knows the commands {string.Join(", ", SimulatedVehicle.SupportedMethods)}, not '{method}'.");
        }

        return (method, ParseBehaviour("--behaviour " + method, value));
    }

    private static MethodBehaviour ParseBehaviour(string option, string text)
    {
        try
        {
            return MethodBehaviour.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new SimulatorArgumentException($"{option}: {ex.Message}");
        }
    }

    private static GeoPoint ParsePosition(string text)
    {
        if (text.Split(',') is [var latText, var lonText]
            && double.TryParse(latText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(lonText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && lat is >= -90 and <= 90 && lon is >= -180 and <= 180)
        {
            return new GeoPoint(lat, lon);
        }

        throw new SimulatorArgumentException($"--position '{text}' must be <lat>,<lon> in degrees with a '.' for decimals (latitude -90 to 90, longitude -180 to 180), e.g. 48.137,11.575.");
    }

    private static int Integer(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new SimulatorArgumentException($"--{name} '{text}' must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
    }

    private static double Number(Dictionary<string, string> values, string name, double fallback, double min, double max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw new SimulatorArgumentException($"--{name} '{text}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (with a '.' for decimals).");
    }

    private static string NotBlank(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new SimulatorArgumentException($"--{name} must not be empty.") : value.Trim();
}
