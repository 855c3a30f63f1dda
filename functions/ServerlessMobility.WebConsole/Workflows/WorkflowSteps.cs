using ServerlessMobility.WebConsole.Api;

namespace ServerlessMobility.WebConsole.Workflows;

/// <summary>One line per history event, in words a dealer reads (the event types are the Durable Task framework's).</summary>
public static class WorkflowSteps
{
    /// <param name="history">The whole history: a completion names only the id of what it completes.</param>
    public static string Describe(HistoryEvent step, IReadOnlyList<HistoryEvent> history)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(history);
        var scheduled = step.ScheduledId is { } id ? history.FirstOrDefault(e => e.EventId == id && e.Name is not null)?.Name : null;
        var name = step.Name ?? scheduled ?? "#" + step.ScheduledId;
        return step.EventType switch
        {
            "ExecutionStarted" => $"Started {step.Name}",
            "TaskScheduled" => $"Step {step.Name} scheduled",
            "TaskCompleted" => $"Step {name} done",
            "TaskFailed" => $"Step {name} failed{Failure(step)}",
            "TimerCreated" => step.FireAt is { } fireAt ? $"Waiting until {fireAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC" : "Waiting",
            "TimerFired" => "Wait over",
            "EventRaised" => $"Received {step.Name}",
            "EventSent" => $"Sent {step.Name}",
            "SubOrchestrationInstanceCreated" => $"Started sub-workflow {step.Name}",
            "SubOrchestrationInstanceCompleted" => $"Sub-workflow {name} done",
            "SubOrchestrationInstanceFailed" => $"Sub-workflow {name} failed{Failure(step)}",
            "ExecutionCompleted" => "Finished",
            "ExecutionTerminated" => "Terminated by an operator",
            "ExecutionSuspended" => "Suspended",
            "ExecutionResumed" => "Resumed",
            _ => step.EventType,
        };
    }

    private static string Failure(HistoryEvent step) => step.FailureDetails?.ErrorMessage is { } message ? $": {message}" : "";
}
