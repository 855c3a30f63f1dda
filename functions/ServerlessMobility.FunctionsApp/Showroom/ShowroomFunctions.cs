using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.Showroom;

/// <summary>Showroom HTTP functions: one per module route, each a single call into the module (see ApiFunctions).</summary>
public sealed class ShowroomApiFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("QuoteShowroomFinancing")]
    public Task QuoteShowroomFinancing([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/financing-quotes")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/financing-quotes");
}
