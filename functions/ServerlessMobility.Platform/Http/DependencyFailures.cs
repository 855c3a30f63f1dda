namespace ServerlessMobility.Platform.Http;

/// <summary>
/// Recognizes, among the exceptions a request ends with, the ones that say a dependency (a database, a storage account)
/// is unreachable or overloaded for now rather than that the request or the code is wrong. Such requests answer 503 with
/// Retry-After instead of 500: a client may retry them, and an operator reads them as an outage, not a bug. The kernel
/// knows no SDK; the storage layer registers what its SDKs throw.
/// </summary>
public interface IDependencyFailureClassifier
{
    /// <returns>The dependency's name as a client may read it ("Cosmos DB"), or null when <paramref name="exception"/> is not such a failure.</returns>
    string? UnavailableDependency(Exception exception);
}

public static class DependencyFailures
{
    /// <summary>How long a client is asked to wait before it retries a request a dependency failed.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// The unavailable dependency named by <paramref name="exception"/> or any exception inside it (SDKs wrap the
    /// network's failure in their own, and retry policies in an AggregateException); null when none is one.
    /// A bare <see cref="TimeoutException"/>, a socket's failure and an HTTP call that got no answer count too.
    /// </summary>
    public static string? Find(Exception exception, IEnumerable<IDependencyFailureClassifier> classifiers)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(classifiers);
        var pending = new Stack<Exception>();
        pending.Push(exception);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var current = pending.Pop();
            foreach (var classifier in classifiers)
            {
                if (classifier.UnavailableDependency(current) is { } dependency)
                {
                    return dependency;
                }
            }

            // Nothing in a request's own logic times out or opens a socket: such failures are a dependency's (a partner's
            // gateway, say) when no classifier named a more precise one further out.
            if (current is TimeoutException or System.Net.Sockets.SocketException or HttpRequestException { StatusCode: null })
            {
                return "A dependency";
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return null;
    }
}
