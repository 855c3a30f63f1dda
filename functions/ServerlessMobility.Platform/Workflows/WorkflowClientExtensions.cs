using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace ServerlessMobility.Platform.Workflows;

/// <summary>How use cases start and signal workflows through the SDK's <see cref="DurableTaskClient"/>.</summary>
public static class WorkflowClientExtensions
{
    private static readonly IReadOnlyList<string> EveryStatus = [.. Enum.GetNames<OrchestrationRuntimeStatus>()];

    /// <summary>The statuses in which an instance may still run: a start with the same id must not replace it.</summary>
    public static IReadOnlyList<string> ActiveStatuses { get; } =
        [nameof(OrchestrationRuntimeStatus.Pending), nameof(OrchestrationRuntimeStatus.Running), nameof(OrchestrationRuntimeStatus.Suspended)];

    /// <summary>
    /// Starts an instance unless one with this id already exists, in any state. A retried request or a
    /// duplicated delivery therefore never restarts a finished flow (which would replace its history) nor
    /// disturbs a running one.
    /// </summary>
    /// <returns>true when this call started the instance.</returns>
    public static async Task<bool> StartOnceAsync(this DurableTaskClient client, TaskName orchestrator, string instanceId, object? input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            // The dedupe statuses close the race between the read above and a concurrent start.
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
                new StartOrchestrationOptions(instanceId) { DedupeStatuses = EveryStatus }, cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            // OrchestrationAlreadyExistsException when someone else started it first; anything else is a real failure.
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is null)
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>
    /// Raises an event to an instance that is still running and reports whether it was. Durable Functions
    /// silently drops an event for a finished or unknown instance, so callers that must not lose what the
    /// event carries (money, a confirmation) check the answer and handle the late case themselves.
    /// </summary>
    public static async Task<bool> RaiseIfRunningAsync(this DurableTaskClient client, string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || !IsActive(instance.RuntimeStatus))
        {
            return false;
        }

        await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        return true;
    }

    /// <summary>Completed, failed and terminated instances never run again; everything else may.</summary>
    public static bool IsTerminal(this OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated
#pragma warning disable CS0618 // Canceled is obsolete in the SDK but a backend may still report it.
            or OrchestrationRuntimeStatus.Canceled;
#pragma warning restore CS0618

    private static bool IsActive(OrchestrationRuntimeStatus status) => !status.IsTerminal();
}
