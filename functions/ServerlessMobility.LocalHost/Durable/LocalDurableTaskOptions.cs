using System.ComponentModel.DataAnnotations;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// The local host's Durable Task Framework settings (section "Durable"): the Azure Storage backend that
/// Durable Functions uses in Azure, here over Azurite, tuned for one developer machine.
/// </summary>
public sealed class LocalDurableTaskOptions : IValidatableObject
{
    public const string SectionName = "Durable";

    /// <summary>
    /// Names the task hub's queues, tables and containers (after the storage resource prefix), so hosts
    /// and test runs can share one account. Lower-case letters and digits, starting with a letter.
    /// </summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$")]
    public string TaskHubName { get; set; } = "durable";

    /// <summary>Control queues (and partitions). Changing it for an existing task hub is not supported by the framework.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>Whether this host runs orchestrations and activities; a client-only host sets false.</summary>
    public bool EnableWorker { get; set; } = true;

    /// <summary>
    /// Longest wait between two polls of an idle queue. Messages this host sends wake its own pollers at
    /// once; this bounds how late a durable timer or another host's message is noticed. The framework's
    /// default (30 s) makes an idle local hub feel stuck.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a control message stays invisible while an orchestration step runs; after a crash the
    /// step is retried once it expires. The framework's 5-minute default makes crash recovery slow. It must
    /// outlast the time a fetched message can wait in a busy host's buffer: a message that reappears while
    /// still buffered is met with duplicate deliveries and stale pop receipts that can stall its instance
    /// (seen at 5 s with a few dozen instances on a loaded two-core machine).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The same for activities. The worker renews the lock of a running activity, so this bounds recovery
    /// after a crash, not how long an activity may run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a host's hold on a partition lasts without renewal. A host that dies keeps its partitions (and their
    /// orchestrations) until then; the framework's default (30 s) suits a developer machine.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:05:00")]
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a host renews its partition leases, claims expired ones and rebalances with the other hosts of
    /// the task hub (the framework's table partition manager). At most half <see cref="LeaseInterval"/>, so that
    /// one late round does not lose a lease.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Keeps an instance's history in memory between its steps, saving a history read per step.</summary>
    public bool ExtendedSessionsEnabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Activities one host runs at the same time.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Orchestration steps one host runs at the same time (idle extended sessions count).</summary>
    [Range(1, 5000)]
    public int MaxConcurrentOrchestrations { get; set; } = 500;

    /// <summary>
    /// Longest single durable timer; longer waits are chained by the SDK. Azure queues (and Azurite) cap a
    /// message's delay at 7 days, so it must stay below that.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "6.00:00:00")]
    public TimeSpan MaximumTimerInterval { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a stopping host waits for the framework to release its partitions before it gives up (they expire anyway).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Registers the diagnostic orchestrations used by the crash, two-host and benchmark runs. Off by default.</summary>
    public bool RegisterSampleWorkflows { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseAcquireInterval * 2 > LeaseInterval)
        {
            yield return new ValidationResult(
                $"Durable:LeaseAcquireInterval ({LeaseAcquireInterval}) must be at most half of Durable:LeaseInterval ({LeaseInterval}): leases are renewed once per round.",
                [nameof(LeaseAcquireInterval), nameof(LeaseInterval)]);
        }
    }
}
