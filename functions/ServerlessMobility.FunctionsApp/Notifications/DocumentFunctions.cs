using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.Notifications;

/// <summary>HTTP routes of issued documents: a short-lived signed link, and the download it opens.</summary>
public sealed class DocumentFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("CreateDocumentLink")]
    public Task CreateDocumentLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "documents/{documentId}/links")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/documents/{documentId}/links");

    [Function("DownloadDocument")]
    public Task DownloadDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "documents/download")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/documents/download");
}
