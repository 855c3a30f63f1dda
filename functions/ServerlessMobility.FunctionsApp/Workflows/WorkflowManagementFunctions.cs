using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>
/// The Durable management API under /api/workflows (DurableManagementEndpoints): one function per core route, each a
/// single call into the core (see ApiFunctions). The built-in API under /runtime/webhooks/durabletask wants the system
/// key and is not forwarded by the Static Web App, so this is how the console reads and controls workflows in Azure.
/// The host ranks literal segments above parameters, so workflows/instances is not taken for GetWorkflowStatus's
/// workflows/{instanceId}.
/// </summary>
public sealed class WorkflowManagementFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("WorkflowsGetStatus")]
    public Task GetStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workflows/instances/{instanceId}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workflows/instances/{instanceId}");

    [Function("WorkflowsListInstances")]
    public Task ListInstances([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workflows/instances")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workflows/instances");

    [Function("WorkflowsStartOrchestration")]
    public Task StartOrchestration([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workflows/orchestrators/{name}/{instanceId?}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workflows/orchestrators/{name}/{instanceId?}");

    [Function("WorkflowsRaiseEvent")]
    public Task RaiseEvent([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workflows/instances/{instanceId}/raiseEvent/{eventName}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workflows/instances/{instanceId}/raiseEvent/{eventName}");

    [Function("WorkflowsTerminate")]
    public Task Terminate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workflows/instances/{instanceId}/terminate")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workflows/instances/{instanceId}/terminate");

    [Function("WorkflowsSuspend")]
    public Task Suspend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workflows/instances/{instanceId}/suspend")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workflows/instances/{instanceId}/suspend");

    [Function("WorkflowsResume")]
    public Task Resume([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workflows/instances/{instanceId}/resume")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workflows/instances/{instanceId}/resume");

    [Function("WorkflowsPurgeInstance")]
    public Task PurgeInstance([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "workflows/instances/{instanceId}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "DELETE /api/workflows/instances/{instanceId}");

    [Function("WorkflowsPurgeInstances")]
    public Task PurgeInstances([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "workflows/instances")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "DELETE /api/workflows/instances");
}
