using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.Workshop;

/// <summary>
/// Workshop HTTP functions: one per module route, each a single call into the module (see ApiFunctions). The owner's
/// approval routes are anonymous here as in the module: the signed link is their authorization.
/// </summary>
public sealed class WorkshopApiFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("PutWorkshopBay")]
    public Task PutWorkshopBay([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "workshop/bays/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/workshop/bays/{id}");

    [Function("PutWorkshopTechnician")]
    public Task PutWorkshopTechnician([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "workshop/technicians/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/workshop/technicians/{id}");

    [Function("BookWorkshopSlot")]
    public Task BookWorkshopSlot([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/bookings")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/bookings");

    [Function("GetWorkshopBooking")]
    public Task GetWorkshopBooking([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workshop/bookings/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workshop/bookings/{id}");

    [Function("CheckInWorkshopBooking")]
    public Task CheckInWorkshopBooking([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/bookings/{id}/check-in")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/bookings/{id}/check-in");

    [Function("GetWorkshopJob")]
    public Task GetWorkshopJob([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workshop/jobs/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workshop/jobs/{id}");

    [Function("ChangeWorkshopJobStatus")]
    public Task ChangeWorkshopJobStatus([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/status")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/status");

    [Function("PutWorkshopEstimate")]
    public Task PutWorkshopEstimate([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "workshop/jobs/{id}/estimate")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/workshop/jobs/{id}/estimate");

    [Function("CreateWorkshopApprovalLink")]
    public Task CreateWorkshopApprovalLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/approval-links")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/approval-links");

    [Function("RequestWorkshopJobMediaUpload")]
    public Task RequestWorkshopJobMediaUpload([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/media")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/media");

    [Function("ReserveWorkshopJobParts")]
    public Task ReserveWorkshopJobParts([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/part-reservations")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/part-reservations");

    [Function("InvoiceWorkshopJob")]
    public Task InvoiceWorkshopJob([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/invoice")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/invoice");

    [Function("ChargeWorkshopJob")]
    public Task ChargeWorkshopJob([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/charge")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/charge");

    [Function("GetWorkshopMaintenanceProposal")]
    public Task GetWorkshopMaintenanceProposal([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workshop/vehicles/{vin}/maintenance")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workshop/vehicles/{vin}/maintenance");

    [Function("RecordWorkshopJobPayment")]
    public Task RecordWorkshopJobPayment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/payments")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/payments");

    [Function("GetWorkshopEstimateByLink")]
    public Task GetWorkshopEstimateByLink([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workshop/approvals")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workshop/approvals");

    [Function("DecideWorkshopEstimateByLink")]
    public Task DecideWorkshopEstimateByLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/approvals")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/approvals");

    [Function("PutWorkshopPartStock")]
    public Task PutWorkshopPartStock([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "workshop/parts/{location}/{sku}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/workshop/parts/{location}/{sku}");

    [Function("GetWorkshopPartStock")]
    public Task GetWorkshopPartStock([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workshop/parts/{location}/{sku}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workshop/parts/{location}/{sku}");

    [Function("GetWorkshopReorderSuggestions")]
    public Task GetWorkshopReorderSuggestions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workshop/parts/reorder-suggestions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workshop/parts/reorder-suggestions");

    [Function("ClockWorkshopJob")]
    public Task ClockWorkshopJob([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "workshop/jobs/{id}/clock")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/workshop/jobs/{id}/clock");

    [Function("GetWorkshopBoard")]
    public Task GetWorkshopBoard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workshop/board")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workshop/board");
}
