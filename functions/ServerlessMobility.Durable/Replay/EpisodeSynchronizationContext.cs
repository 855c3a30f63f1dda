namespace ServerlessMobility.Durable.Replay;

/// <summary>
/// Runs every continuation of the workflow's awaits on the replaying thread, in order, only when the
/// executor pumps: this is what makes an episode a single-threaded, deterministic execution.
/// </summary>
internal sealed class EpisodeSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs queued continuations (and those they queue) until none is left.</summary>
    public void Pump()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) next;
            lock (_gate)
            {
                if (!_queue.TryDequeue(out next))
                {
                    return;
                }
            }

            next.Callback(next.State);
        }
    }
}
