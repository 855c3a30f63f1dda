using BenchmarkDotNet.Running;
using ServerlessMobility.Telemetry.Benchmarks;

// "e2e [options]": the end-to-end load run; "publish": its publisher process (started by e2e); anything else goes to
// BenchmarkDotNet.
if (args is ["e2e", .. var options])
{
    return await EndToEndLoad.RunAsync(options);
}

if (args is ["publish"])
{
    return await PublisherProcess.RunChildAsync();
}

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
return 0;
