using Microsoft.DurableTask.Client;

namespace ServerlessMobility.Testing;

/// <summary>Waiting for workflow instances through the SDK's client, with the instance's last state in the failure message.</summary>
public static class WorkflowWaits
{
    public static Task<OrchestrationMetadata?> WaitForInstanceAsync(this DurableTaskClient client, string instanceId,
        Func<OrchestrationMetadata, bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Eventually.UntilAsync(
            () => client.GetInstanceAsync(instanceId, getInputsAndOutputs: true),
            instance => instance is not null && condition(instance),
            $"{instanceId} to be {what}",
            timeout);
    }

    /// <summary>Waits until the instance finished (completed, failed or terminated) and returns it.</summary>
    public static async Task<OrchestrationMetadata> WaitForFinishAsync(this DurableTaskClient client, string instanceId, TimeSpan? timeout = null) =>
        (await client.WaitForInstanceAsync(instanceId, i => i.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated,
            "finished", timeout))!;

    public static string Describe(this OrchestrationMetadata? instance) => instance is null
        ? "no such instance"
        : $"{instance.Name} {instance.InstanceId} {instance.RuntimeStatus} status={instance.SerializedCustomStatus} output={instance.SerializedOutput} failure={instance.FailureDetails?.ErrorType}: {instance.FailureDetails?.ErrorMessage}";
}
