using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ServerlessMobility.Durable.Benchmarks;

/// <summary>
/// Counts every HTTP request this process sends to Azurite, by service and kind of operation, from the activities
/// .NET's HTTP client starts for each request ("System.Net.Http"). The framework's storage clients (and every other
/// Azure SDK client here) send through it, so nothing in the task hub needs to be changed to be counted. Requests
/// sent inside <see cref="AsHarnessAsync{T}"/> (the benchmark's own completion polling) are counted apart.
/// </summary>
internal sealed class StorageRequestCounter : IDisposable
{
    private static readonly AsyncLocal<bool> InHarness = new();
    private readonly IReadOnlyDictionary<int, string> _servicesByPort;
    private readonly ConcurrentDictionary<Key, Tally> _tallies = new();
    private readonly ActivityListener _listener;

    public StorageRequestCounter(IReadOnlyDictionary<int, string> servicesByPort)
    {
        _servicesByPort = servicesByPort;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>One kind of request: service (queue, table, blob), operation, and whether the benchmark itself sent it.</summary>
    public readonly record struct Key(string Service, string Operation, bool Harness);

    public sealed record Snapshot(IReadOnlyDictionary<Key, (long Count, TimeSpan Time)> Tallies)
    {
        public long Count(Func<Key, bool> filter) => Tallies.Where(t => filter(t.Key)).Sum(t => t.Value.Count);

        public Snapshot Minus(Snapshot before) => new(Tallies.ToDictionary(
            t => t.Key,
            t => before.Tallies.TryGetValue(t.Key, out var b) ? (t.Value.Count - b.Count, t.Value.Time - b.Time) : t.Value));
    }

    /// <summary>Runs the benchmark's own storage calls (completion polling, history reads), so that they are counted apart.</summary>
    public static async Task<T> AsHarnessAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);

        // An async method's change to an AsyncLocal is undone for its caller when it returns.
        InHarness.Value = true;
        return await call();
    }

    public Snapshot Read() => new(_tallies.ToDictionary(t => t.Key, t => (Interlocked.Read(ref t.Value.Count), TimeSpan.FromTicks(Interlocked.Read(ref t.Value.Ticks)))));

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        var port = activity.GetTagItem("server.port") switch
        {
            int value => value,
            string text when int.TryParse(text, CultureInfo.InvariantCulture, out var value) => value,
            _ => -1,
        };
        if (!_servicesByPort.TryGetValue(port, out var service))
        {
            return;
        }

        var method = activity.GetTagItem("http.request.method") as string ?? "?";
        var url = activity.GetTagItem("url.full") as string;
        var path = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : string.Empty;
        var tally = _tallies.GetOrAdd(new Key(service, Classify(service, method, path), InHarness.Value), _ => new Tally());
        Interlocked.Increment(ref tally.Count);
        Interlocked.Add(ref tally.Ticks, activity.Duration.Ticks);
    }

    /// <summary>The storage operation a request is, from its method and path (/account/resource/...).</summary>
    internal static string Classify(string service, string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return service switch
        {
            "queue" when segments.Length >= 3 && segments[2] == "messages" => (method, segments.Length) switch
            {
                ("POST", 3) => "put message",
                ("GET", 3) => "get messages",
                ("DELETE", 4) => "delete message",
                ("PUT", 4) => "update message (visibility)",
                _ => $"{method} messages",
            },
            "queue" => $"{method} queue (create, metadata)",
            "table" when segments.Length >= 2 && segments[1] == "$batch" => "entity batch (transaction)",
            "table" when segments.Length >= 2 && segments[1].Contains('(', StringComparison.Ordinal) && !segments[1].EndsWith("()", StringComparison.Ordinal) => method switch
            {
                "GET" => "point read",
                "PUT" => "upsert/replace entity",
                "PATCH" or "MERGE" or "_OTHER" => "merge entity",
                "DELETE" => "delete entity",
                _ => $"{method} entity",
            },
            "table" when segments.Length >= 2 && segments[1] != "Tables" => method switch
            {
                "GET" => "query",
                "POST" => "insert entity",
                _ => $"{method} table",
            },
            "table" => $"{method} table (create)",
            _ => $"{method} blob",
        };
    }

    private sealed class Tally
    {
        public long Count;
        public long Ticks;
    }
}
