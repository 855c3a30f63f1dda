using System.Diagnostics;

namespace ServerlessMobility.Testing;

/// <summary>
/// The one way tests wait for something that happens asynchronously (a workflow step, a message, a
/// projection): probe until the condition holds, backing off from 50 ms to 500 ms, and fail with what was
/// last seen when the deadline passes. Never a fixed sleep: a test that expects nothing to happen first
/// waits for a positive signal that the system got past the point where it would have happened.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <returns>The first probed value that satisfies <paramref name="condition"/>.</returns>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var delay = TimeSpan.FromMilliseconds(50);
        T last;
        while (true)
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; last seen: {Describe(last)}");
            }

            await Task.Delay(delay);
            delay = delay * 2 > TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : delay * 2;
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, done => done, what, timeout);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object?>().Take(20))}]",
        _ => value.ToString() ?? string.Empty,
    };
}
