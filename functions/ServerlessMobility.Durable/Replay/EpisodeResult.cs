using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Durable.History;

namespace ServerlessMobility.Durable.Replay;

/// <summary>What one episode decided: the events to append, the resulting state, and whether to continue as new.</summary>
internal sealed class EpisodeResult
{
    /// <summary>Events to append after the past history: the inbound ones, then new scheduling and completion events.</summary>
    public List<HistoryEvent> NewEvents { get; } = [];

    public WorkflowRuntimeStatus Status { get; set; } = WorkflowRuntimeStatus.Running;

    public string? Output { get; set; }

    public WorkflowFailureDetails? Failure { get; set; }

    public string? CustomStatus { get; set; }

    public bool ContinueAsNew { get; set; }

    public string? ContinueAsNewInput { get; set; }

    /// <summary>External events that arrived but were not consumed, carried into the next execution.</summary>
    public List<HistoryEvent> CarriedEvents { get; } = [];

    public IEnumerable<HistoryEvent> NewScheduling => NewEvents.Where(e => e.IsTaskScheduling);
}
