using BenchmarkDotNet.Running;
using ServerlessMobility.Http.Benchmarks;

// "baseline URL": the bare Kestrel app http-load.sh measures as the machine's HTTP ceiling; anything else goes to
// BenchmarkDotNet.
if (args is ["baseline", var url])
{
    await BareKestrel.RunAsync(url);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BareKestrel).Assembly).Run(args);
