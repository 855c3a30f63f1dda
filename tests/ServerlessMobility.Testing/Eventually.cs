using System.Diagnostics;
using Xunit;

namespace ServerlessMobility.Testing;

/// <summary>
/// The one way tests wait for something that happens asynchronously (a workflow step, a message, a
/// projection): probe until the condition holds, backing off from 50 ms to <c>maxInterval</c> (500 ms unless
/// told), and fail with what was awaited and what was last seen when the deadline passes. Never a fixed sleep:
/// a test that expects nothing to happen first waits for a positive signal that the system got past the point
/// where it would have happened. A probe may throw (an assertion, say) to stop waiting for a state that can
/// no longer come; the wait also ends when the test is cancelled.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DefaultMaxInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="cancellation">Ends the wait; the current test's cancellation unless given (work that outlives the test that started it passes its own).</param>
    /// <returns>The first probed value that satisfies <paramref name="condition"/>.</returns>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null, TimeSpan? maxInterval = null,
        CancellationToken? cancellation = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(condition);
        var cancellationToken = cancellation ?? TestContext.Current.CancellationToken;
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var longest = maxInterval ?? DefaultMaxInterval;
        var delay = FirstInterval < longest ? FirstInterval : longest;
        var probes = 0;
        while (true)
        {
            var last = await probe();
            probes++;
            if (condition(last))
            {
                return last;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s ({probes} probes) for {what}; last seen: {Describe(last)}");
            }

            await Task.Delay(delay, cancellationToken);
            delay = delay * 2 > longest ? longest : delay * 2;
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? maxInterval = null, CancellationToken? cancellation = null) =>
        UntilAsync(condition, done => done, what, timeout, maxInterval, cancellation);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object?>().Take(20))}]",
        _ => value.ToString() ?? string.Empty,
    };
}
