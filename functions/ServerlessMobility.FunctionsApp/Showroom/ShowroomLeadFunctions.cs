using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.Showroom;

/// <summary>Showroom leads, lead scoring and the leaderboard: one HTTP function per module route, each a single call into the module (see ApiFunctions).</summary>
public sealed class ShowroomLeadFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("CaptureShowroomLead")]
    public Task CaptureShowroomLead([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/leads")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/leads");

    [Function("ListShowroomLeads")]
    public Task ListShowroomLeads([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/leads")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/leads");

    [Function("SendShowroomEnquiry")]
    public Task SendShowroomEnquiry([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/leads/enquiries")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/leads/enquiries");

    [Function("GetShowroomLead")]
    public Task GetShowroomLead([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/leads/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/leads/{id}");

    [Function("LogShowroomLeadActivity")]
    public Task LogShowroomLeadActivity([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/leads/{id}/activities")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/leads/{id}/activities");

    [Function("ChangeShowroomLeadStage")]
    public Task ChangeShowroomLeadStage([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/leads/{id}/stage")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/leads/{id}/stage");

    [Function("AssignShowroomLead")]
    public Task AssignShowroomLead([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/leads/{id}/assignment")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/leads/{id}/assignment");

    [Function("ConvertShowroomLead")]
    public Task ConvertShowroomLead([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/leads/{id}/convert")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/leads/{id}/convert");

    [Function("HandOffShowroomLead")]
    public Task HandOffShowroomLead([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/leads/{id}/hand-off")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/leads/{id}/hand-off");

    [Function("ScoreShowroomLead")]
    public Task ScoreShowroomLead([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/leads/{id}/score")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/leads/{id}/score");

    [Function("RetrainShowroomLeadModel")]
    public Task RetrainShowroomLeadModel([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "showroom/lead-model/retrain")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/showroom/lead-model/retrain");

    [Function("PutShowroomSalesperson")]
    public Task PutShowroomSalesperson([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "showroom/salespeople/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/showroom/salespeople/{id}");

    [Function("GetShowroomLeaderboard")]
    public Task GetShowroomLeaderboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/leaderboard")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/leaderboard");

    /// <summary>Like the inventory's changes: this stream hears the awards of its own instance; Azure SignalR's clients hear every instance's (docs/flows/showroom.md).</summary>
    [Function("StreamShowroomLeaderboard")]
    public Task StreamShowroomLeaderboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/leaderboard/changes")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/leaderboard/changes");

    [Function("GetShowroomAnalytics")]
    public Task GetShowroomAnalytics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/analytics")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/analytics");

    [Function("GetShowroomAnalyticsWorkbook")]
    public Task GetShowroomAnalyticsWorkbook([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "showroom/analytics.xlsx")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/showroom/analytics.xlsx");
}
