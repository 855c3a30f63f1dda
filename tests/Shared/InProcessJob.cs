using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace ServerlessMobility.Benchmarks;

/// <summary>
/// (Linked into each BenchmarkDotNet project from tests/Shared.) One job, run in this process: BenchmarkDotNet's default rebuilds the solution's projects into a generated program,
/// which on the shared two-core machine can outlast its own two-minute build timeout. Iterations of a quarter second and
/// a generous time limit keep a run short on an idle machine and still finishing on a busy one.
/// </summary>
internal sealed class InProcessJob : ManualConfig
{
    public InProcessJob() => AddJob(Job.Default.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
        .WithIterationTime(TimeInterval.FromMilliseconds(250)).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(15), logOutput: true)));
}
