using System.Globalization;

namespace ServerlessMobility.Durable.Benchmarks;

/// <summary>
/// CPU time used so far by named processes (utime + stime from /proc/&lt;pid&gt;/stat), by this process, and by the
/// whole machine (busy time of all cores from /proc/stat, so that what other users of the machine took shows too).
/// </summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, int> processes)
{
    public const string Benchmark = "benchmark (host + client)";
    public const string Machine = "machine, all processes";
    public const string MachineCapacity = "machine capacity (cores x wall)";

    // Linux reports both files in clock ticks of USER_HZ, 100 per second on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public IReadOnlyDictionary<string, TimeSpan> Read()
    {
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (name, pid) in processes)
        {
            result[name] = ProcessCpu(pid.ToString(CultureInfo.InvariantCulture));
        }

        result[Benchmark] = ProcessCpu("self");
        var (busy, total) = MachineCpu();
        result[Machine] = busy;
        result[MachineCapacity] = total;
        return result;
    }

    public static IReadOnlyDictionary<string, TimeSpan> Difference(IReadOnlyDictionary<string, TimeSpan> after, IReadOnlyDictionary<string, TimeSpan> before) =>
        after.ToDictionary(pair => pair.Key, pair => pair.Value - before.GetValueOrDefault(pair.Key), StringComparer.Ordinal);

    private static TimeSpan ProcessCpu(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static (TimeSpan Busy, TimeSpan Total) MachineCpu()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is already in user).
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + values[4];
        var total = values.Sum();
        return (TimeSpan.FromSeconds((total - idle) / TicksPerSecond), TimeSpan.FromSeconds(total / TicksPerSecond));
    }
}
