using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ServerlessMobility.Telemetry.Benchmarks.PipelineBenchmarks).Assembly).Run(args);
