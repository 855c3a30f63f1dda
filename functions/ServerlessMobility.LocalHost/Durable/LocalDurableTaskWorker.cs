using DurableTask.Core;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// Creates the task hub on start and, unless this is a client-only host, runs the framework's
/// <see cref="TaskHubWorker"/> with every registered orchestrator and activity. Stopping is bounded: with
/// storage gone the framework would retry for minutes, while its partition leases expire on their own.
/// </summary>
internal sealed partial class LocalDurableTaskWorker(
    LocalTaskHub hub, WorkflowRegistry registry, IServiceProvider services, IOptions<LocalDurableTaskOptions> options,
    ILoggerFactory loggerFactory, ILogger<LocalDurableTaskWorker> logger) : IHostedService, IDisposable
{
    private TaskHubWorker? _worker;
    private Task? _starting;
    private Task? _stopping;
    private bool _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The task hub must exist before the first request uses the client; the worker may come up after.
        await hub.Service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);
        if (!options.Value.EnableWorker)
        {
            return;
        }

        var shims = new DurableTaskShimFactory(new Microsoft.DurableTask.Worker.DurableTaskWorkerOptions
        {
            DataConverter = WorkflowJson.Converter,
            MaximumTimerInterval = options.Value.MaximumTimerInterval,
        }, loggerFactory);
        _worker = new TaskHubWorker(hub.Service,
            new RegisteredOrchestrations(registry, services, shims),
            new RegisteredActivities(registry, services.GetRequiredService<IServiceScopeFactory>(), shims),
            loggerFactory)
        {
            // The SDK's TaskFailedException carries the failure details only in this mode.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        _starting = StartWorkerAsync(_worker);
    }

    /// <summary>
    /// Stops once: a minimal-hosting app stops its host twice (the factory or Ctrl+C, then RunAsync on its way
    /// out), and the framework's worker must not be stopped concurrently with itself.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is null || _starting is null)
        {
            return Task.CompletedTask;
        }

        lock (_worker)
        {
            _stopping ??= StopWorkerAsync(_worker, _starting);
        }

        return _stopping;
    }

    private async Task StopWorkerAsync(TaskHubWorker worker, Task starting)
    {
        var timeout = options.Value.StopTimeout;
        try
        {
            // A host stopped right after it started must let the worker finish starting before it can stop it.
            await starting.WaitAsync(timeout);
            await worker.StopAsync(isForced: true).WaitAsync(timeout);
            _stopped = true;
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(logger, timeout);
        }
    }

    /// <summary>A worker that did not stop is left to the process's end: disposing it under a running stop would throw.</summary>
    public void Dispose()
    {
        if (_stopped)
        {
            _worker?.Dispose();
        }
    }

    private async Task StartWorkerAsync(TaskHubWorker worker)
    {
        await worker.StartAsync();
        LogStarted(logger, hub.Name, registry.Orchestrators.Count, registry.Activities.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task hub {TaskHub} running {Orchestrators} orchestrators and {Activities} activities")]
    private static partial void LogStarted(ILogger logger, string taskHub, int orchestrators, int activities);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The durable worker did not stop within {Timeout}; its partition leases will expire on their own")]
    private static partial void LogStopTimedOut(ILogger logger, TimeSpan timeout);
}
