using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>
/// Runs core workflows and activities from Durable Functions triggers: resolves the registered type,
/// converts the JSON input to the type it declares, and hands over the wrapped context.
/// </summary>
public sealed class DurableWorkflowRunner(WorkflowRegistry registry, IServiceProvider services)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<object?> RunWorkflowAsync(TaskOrchestrationContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workflow = (IWorkflow)ActivatorUtilities.CreateInstance(services, registry.Workflows[name]);
        var input = context.GetInput<JsonElement?>() is { } json ? json.Deserialize(workflow.InputType, Json) : null;
        return await workflow.RunAsync(new DurableWorkflowContext(context), input);
    }

    public async Task<object?> RunActivityAsync(string name, JsonElement input, FunctionContext function)
    {
        ArgumentNullException.ThrowIfNull(function);
        using var scope = services.CreateScope();
        var activity = (IWorkflowActivity)ActivatorUtilities.CreateInstance(scope.ServiceProvider, registry.Activities[name]);
        var instanceId = function.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? string.Empty : string.Empty;
        return await activity.RunAsync(new ActivityContext(name, instanceId, 0), input.Deserialize(activity.InputType, Json), function.CancellationToken);
    }
}
