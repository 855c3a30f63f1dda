using System.Globalization;
using BenchmarkDotNet.Running;
using ServerlessMobility.Telemetry.Benchmarks;

// "e2e [seconds] [vehicles] [messages/s]": the end-to-end load run; anything else goes to BenchmarkDotNet.
if (args is ["e2e", ..])
{
    var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
    var vehicles = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
    var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10_000;
    await EndToEndLoad.RunAsync(TimeSpan.FromSeconds(seconds), vehicles, rate);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
