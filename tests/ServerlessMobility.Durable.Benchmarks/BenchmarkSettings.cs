using System.Globalization;

namespace ServerlessMobility.Durable.Benchmarks;

/// <summary>The command line: counts of each scenario (0 skips it), the Azurite mode, and Durable setting overrides.</summary>
internal sealed record BenchmarkSettings
{
    public const string Usage = """
        Usage: ServerlessMobility.Durable.Benchmarks [options]
          --burst N             orchestrations started at once, each a sequence of --steps activities (500; 0 skips)
          --steps N             activities per burst and idle orchestration (5)
          --start-concurrency N start requests in flight while starting the burst (50)
          --fanout N            activities of the fan-out/fan-in orchestration (100; 0 skips)
          --fanouts N           fan-out/fan-in orchestrations, one after the other (3)
          --idle N              single orchestrations on an idle hub, one after the other, for per-step latency (20; 0 skips)
          --idle-gap SECONDS    pause before each idle orchestration, so the hub's pollers are idle again (1)
          --calibration SECONDS duration of each raw Azurite measurement (5; 0 skips)
          --azurite-disk        Azurite keeps its data in a temporary folder, as scripts/dev-services.sh runs it (default: in memory)
          --set KEY=VALUE       configuration override, e.g. --set Durable:PartitionCount=8 (repeatable)
          --rows FILE           append the summary as markdown table rows (scripts/bench.sh)
        Smoke run: --burst 50 --fanout 20 --fanouts 1 --idle 3 --calibration 1
        """;

    public int Burst { get; init; } = 500;

    public int Steps { get; init; } = 5;

    public int StartConcurrency { get; init; } = 50;

    public int FanOut { get; init; } = 100;

    public int FanOuts { get; init; } = 3;

    public int Idle { get; init; } = 20;

    public TimeSpan IdleGap { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Calibration { get; init; } = TimeSpan.FromSeconds(5);

    public bool AzuriteOnDisk { get; init; }

    public string? Rows { get; init; }

    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    public static BenchmarkSettings? Parse(string[] args)
    {
        var settings = new BenchmarkSettings();
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count() => int.Parse(Value(), CultureInfo.InvariantCulture) is var n and >= 0 ? n : throw new ArgumentException($"{args[i - 1]} must not be negative.");
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
            switch (args[i])
            {
                case "--burst": settings = settings with { Burst = Count() }; break;
                case "--steps": settings = settings with { Steps = Math.Max(1, Count()) }; break;
                case "--start-concurrency": settings = settings with { StartConcurrency = Math.Max(1, Count()) }; break;
                case "--fanout": settings = settings with { FanOut = Count() }; break;
                case "--fanouts": settings = settings with { FanOuts = Count() }; break;
                case "--idle": settings = settings with { Idle = Count() }; break;
                case "--idle-gap": settings = settings with { IdleGap = Seconds() }; break;
                case "--calibration": settings = settings with { Calibration = Seconds() }; break;
                case "--azurite-disk": settings = settings with { AzuriteOnDisk = true }; break;
                case "--rows": settings = settings with { Rows = Value() }; break;
                case "--set":
                    var pair = Value().Split('=', 2);
                    overrides[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException("--set takes KEY=VALUE.");
                    break;
                case "-h" or "--help": return null;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        return settings with { Overrides = overrides };
    }
}
