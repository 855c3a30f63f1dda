using DurableTask.Core;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.Workflows;

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

    public async Task StartAsync(CancellationToken cancellationToken)
    {
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
        await _worker.StartAsync().WaitAsync(cancellationToken);
        LogStarted(logger, hub.Name, registry.Orchestrators.Count, registry.Activities.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is null)
        {
            return;
        }

        try
        {
            await _worker.StopAsync(isForced: true).WaitAsync(options.Value.StopTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(logger, options.Value.StopTimeout);
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(logger, options.Value.StopTimeout);
        }
    }

    public void Dispose() => _worker?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Task hub {TaskHub} running {Orchestrators} orchestrators and {Activities} activities")]
    private static partial void LogStarted(ILogger logger, string taskHub, int orchestrators, int activities);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The durable worker did not stop within {Timeout}; its partition leases will expire on their own")]
    private static partial void LogStopTimedOut(ILogger logger, TimeSpan timeout);
}
