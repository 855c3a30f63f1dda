using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Workflows;

namespace ServerlessMobility.FunctionsApp.Http;

/// <summary>
/// Base of every class of HTTP functions: each function is a single call into the core endpoint behind
/// the shared platform pipeline (authentication, protection, authorization, problem details). Durable's
/// client exists only as a binding in the isolated worker, so each function binds it and hands it to the
/// request's scope, where the core endpoints resolve it.
/// </summary>
public abstract class HttpFunctions(CoreEndpointInvoker api)
{
    protected Task Invoke(HttpRequest request, DurableTaskClient durable, string routeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.RequestServices.GetRequiredService<InvocationDurableClient>().Use(durable);
        return api.InvokeAsync(request.HttpContext, routeKey);
    }
}
