namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>
/// One orchestrator function per core workflow and one activity function per core activity, each a
/// single call into <see cref="DurableWorkflowRunner"/>. tests/ServerlessMobility.FunctionsApp.Tests
/// checks these names against the core's <c>WorkflowRegistry</c>.
/// </summary>
/// <remarks>
/// The form of each binding:
/// <code>
/// [Function("OrderToDelivery")]
/// public Task&lt;object?&gt; OrderToDelivery([OrchestrationTrigger] TaskOrchestrationContext context) =&gt; runner.RunWorkflowAsync(context, "OrderToDelivery");
///
/// [Function("PlaceFactoryOrder")]
/// public Task&lt;object?&gt; PlaceFactoryOrder([ActivityTrigger] JsonElement input, FunctionContext function) =&gt; runner.RunActivityAsync("PlaceFactoryOrder", input, function);
/// </code>
/// </remarks>
public sealed partial class WorkflowFunctions(DurableWorkflowRunner runner)
{
    private DurableWorkflowRunner Runner { get; } = runner;
}
