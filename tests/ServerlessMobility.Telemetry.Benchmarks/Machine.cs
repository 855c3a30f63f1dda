using System.Globalization;

namespace ServerlessMobility.Telemetry.Benchmarks;

/// <summary>What the figures were measured on, and CPU used by processes (Linux /proc).</summary>
internal static class Machine
{
    public static string Describe() =>
        $"{File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"}, {Environment.ProcessorCount} cores; .NET {Environment.Version}";

    /// <summary>1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static TimeSpan ProcessCpu(int processId) => ProcessCpu(processId.ToString(CultureInfo.InvariantCulture));

    public static TimeSpan ProcessCpu(string processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");

        // After the command name (which may hold spaces) utime and stime are fields 14 and 15, in USER_HZ (100/s).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0);
    }
}
