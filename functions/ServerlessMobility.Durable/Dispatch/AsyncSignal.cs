namespace ServerlessMobility.Durable.Dispatch;

/// <summary>Wakes a polling loop early when this process has just produced work for it.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Waits for a signal or the timeout (real time: polling is not workflow time).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _signal);
        await Task.WhenAny(current.Task, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }
}
