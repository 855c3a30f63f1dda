using System.ComponentModel.DataAnnotations;

namespace ServerlessMobility.Durable;

/// <summary>Settings of the local durable engine, bound from the "Durable" configuration section.</summary>
public sealed class DurableEngineOptions
{
    public const string SectionName = "Durable";

    /// <summary>
    /// Names the engine's tables, queues and containers (after the storage resource prefix), so two
    /// task hubs can share one account. Lower-case letters and digits (the strictest naming rule).
    /// </summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$")]
    public string TaskHubName { get; set; } = "durable";

    /// <summary>Instances hash to this many partitions, each with its own control queue and lease.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>Whether this host runs the dispatchers (a client-only host sets false).</summary>
    public bool EnableDispatchers { get; set; } = true;

    /// <summary>Longest wait between two polls of an idle queue; messages this host sends wake it at once.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the timer poller checks for due timers (against the injected TimeProvider).</summary>
    public TimeSpan TimerPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long an orchestration message stays invisible while a host processes it.</summary>
    public TimeSpan ControlMessageVisibility { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an activity work item stays invisible while it runs; a dead host's work items reappear after it.</summary>
    public TimeSpan ActivityVisibility { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Blob lease duration for a partition (Azure allows 15 to 60 seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:15", "00:01:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often owned leases are renewed and free partitions are sought.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Activities one host runs at the same time.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Registers the diagnostic workflows used by the crash, two-host and benchmark runs. Off by default.</summary>
    public bool RegisterSampleWorkflows { get; set; }
}
