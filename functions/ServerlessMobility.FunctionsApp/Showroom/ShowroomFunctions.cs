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

    [Function("AddShowroomVehicle")]
    public Task AddShowroomVehicle([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/inventory")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/inventory");

    [Function("ListShowroomVehicles")]
    public Task ListShowroomVehicles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/inventory")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/inventory");

    /// <summary>
    /// This stream hears the writes of the instance that serves it; clients of a scaled-out app listen on Azure SignalR
    /// Service instead (NegotiateShowroomLive), which hears the writes of every instance (docs/flows/showroom.md).
    /// </summary>
    [Function("StreamShowroomInventoryChanges")]
    public Task StreamShowroomInventoryChanges([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/inventory/changes")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/inventory/changes");

    [Function("NegotiateShowroomLive")]
    public Task NegotiateShowroomLive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/live/negotiate")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/live/negotiate");

    [Function("GetShowroomVehicle")]
    public Task GetShowroomVehicle([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/inventory/{vin}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/inventory/{vin}");

    [Function("UpdateShowroomVehicle")]
    public Task UpdateShowroomVehicle([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "showroom/inventory/{vin}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/showroom/inventory/{vin}");

    [Function("ChangeShowroomVehicleStatus")]
    public Task ChangeShowroomVehicleStatus([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/inventory/{vin}/status")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/inventory/{vin}/status");

    [Function("RequestShowroomVehiclePhotoUpload")]
    public Task RequestShowroomVehiclePhotoUpload([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/inventory/{vin}/photos")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/inventory/{vin}/photos");

    [Function("SearchShowroomVehicles")]
    public Task SearchShowroomVehicles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/search")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/search");

    [Function("SuggestShowroomVehicles")]
    public Task SuggestShowroomVehicles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/search/suggest")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/search/suggest");

    [Function("SaveShowroomSearch")]
    public Task SaveShowroomSearch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/saved-searches")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/saved-searches");

    [Function("ListShowroomSavedSearches")]
    public Task ListShowroomSavedSearches([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/saved-searches")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/saved-searches");

    [Function("RunShowroomSavedSearch")]
    public Task RunShowroomSavedSearch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/saved-searches/{id}/runs")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/saved-searches/{id}/runs");

    [Function("DeleteShowroomSavedSearch")]
    public Task DeleteShowroomSavedSearch([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "showroom/saved-searches/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "DELETE /api/showroom/saved-searches/{id}");
}
