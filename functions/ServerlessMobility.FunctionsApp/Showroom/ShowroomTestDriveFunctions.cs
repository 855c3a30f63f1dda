using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.Showroom;

/// <summary>Showroom test drives: one HTTP function per module route, each a single call into the module (see ApiFunctions). The drive's track arrives through the telemetry functions (the pipeline's vehicle-reading observers).</summary>
public sealed class ShowroomTestDriveFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("BookShowroomTestDrive")]
    public Task BookShowroomTestDrive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives");

    [Function("GetShowroomTestDrive")]
    public Task GetShowroomTestDrive([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/test-drives/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/test-drives/{id}");

    [Function("CheckShowroomTestDriveLicence")]
    public Task CheckShowroomTestDriveLicence([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives/{id}/licence-check")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives/{id}/licence-check");

    [Function("SignShowroomTestDriveWaiver")]
    public Task SignShowroomTestDriveWaiver([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives/{id}/waiver")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives/{id}/waiver");

    [Function("StartShowroomTestDrive")]
    public Task StartShowroomTestDrive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives/{id}/start")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives/{id}/start");

    [Function("GetShowroomTestDriveTrack")]
    public Task GetShowroomTestDriveTrack([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/test-drives/{id}/track")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/test-drives/{id}/track");

    [Function("FinishShowroomTestDrive")]
    public Task FinishShowroomTestDrive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives/{id}/finish")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives/{id}/finish");

    [Function("RecordShowroomTestDriveFeedback")]
    public Task RecordShowroomTestDriveFeedback([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives/{id}/feedback")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives/{id}/feedback");

    [Function("CancelShowroomTestDrive")]
    public Task CancelShowroomTestDrive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives/{id}/cancel")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives/{id}/cancel");

    [Function("RescheduleShowroomTestDrive")]
    public Task RescheduleShowroomTestDrive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/test-drives/{id}/reschedule")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/test-drives/{id}/reschedule");
}
