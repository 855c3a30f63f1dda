using System.Text.RegularExpressions;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Options;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The task hub on Azurite: the Durable Task Framework's Azure Storage orchestration service (the backend
/// Durable Functions uses by default in Azure), one per process, shared by the worker and the client.
/// </summary>
public sealed partial class LocalTaskHub : IDisposable
{
    public LocalTaskHub(IOptions<LocalDurableTaskOptions> options, IOptions<StorageOptions> storage, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        var settings = options.Value;
        var connectionString = storage.Value.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions),
                ["The local host runs its task hub on a storage connection string (Azurite): set Storage:ConnectionString or AzureWebJobsStorage."]);
        }

        Name = storage.Value.ResourcePrefix + settings.TaskHubName;
        if (!TaskHubNamePattern().IsMatch(Name))
        {
            throw new OptionsValidationException(LocalDurableTaskOptions.SectionName, typeof(LocalDurableTaskOptions),
                [$"The task hub name '{Name}' (Storage:ResourcePrefix + Durable:TaskHubName) must be 3 to 45 letters and digits, starting with a letter."]);
        }

        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = Name,
            PartitionCount = settings.PartitionCount,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout,
            LeaseInterval = settings.LeaseInterval,
            LeaseAcquireInterval = settings.LeaseAcquireInterval,
            ExtendedSessionsEnabled = settings.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = settings.ExtendedSessionIdleTimeout,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestrations,

            // Each process is its own worker: two hosts on one machine must not share a name.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}",

            // Without it a start refused by its dedupe statuses returns as if it had started the instance.
            ThrowExceptionOnInvalidDedupeStatus = true,

            // The app lease keeps a second app (a blue-green deployment) off a task hub; locally there is only one app.
            UseAppLease = false,

            // The framework gives a partition-table read-and-write 2 s before it counts a failure, and after ten
            // failures in a row it stops trying for a whole acquire interval. Azurite shares a developer's (or
            // CI's) two cores with everything else and can take longer than Azure Storage under load.
            PartitionTableOperationTimeout = TimeSpan.FromSeconds(10),
            LoggerFactory = loggerFactory,
        });
    }

    public string Name { get; }

    public AzureStorageOrchestrationService Service { get; }

    public void Dispose() => Service.Dispose();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskHubNamePattern();
}
