using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>
/// Runs the core's SDK-typed orchestrators and activities from Durable Functions triggers: the same
/// classes the local host's worker runs, resolved from the invocation's services. Nothing is adapted:
/// the orchestrator receives the extension's own <see cref="TaskOrchestrationContext"/>.
/// </summary>
public static class DurableFunctions
{
    public static Task<TOutput> RunOrchestratorAsync<TOrchestrator, TInput, TOutput>(TaskOrchestrationContext context, FunctionContext function)
        where TOrchestrator : TaskOrchestrator<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(function);
        var orchestrator = function.InstanceServices.GetRequiredService<TOrchestrator>();
        return orchestrator.RunAsync(context, context.GetInput<TInput>()!);
    }

    /// <param name="durable">The invocation's client: activities may start or signal workflows (feature billing starts from an activation).</param>
    public static Task<TOutput> RunActivityAsync<TActivity, TInput, TOutput>(string name, TInput input, FunctionContext function, DurableTaskClient durable)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(function);
        function.InstanceServices.GetRequiredService<InvocationDurableClient>().Use(durable);
        var activity = function.InstanceServices.GetRequiredService<TActivity>();
        var instanceId = function.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? string.Empty : string.Empty;
        return activity.RunAsync(new FunctionActivityContext(name, instanceId), input);
    }

    /// <summary>What the activity knows of the call it serves, taken from the trigger's binding data.</summary>
    private sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
