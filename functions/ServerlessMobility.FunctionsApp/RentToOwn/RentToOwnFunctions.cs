using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.RentToOwn;

/// <summary>Rent-to-own HTTP functions: one per core route, each a single call into the core (see ApiFunctions).</summary>
public sealed class RentToOwnApiFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("OnboardCustomer")]
    public Task OnboardCustomer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/customers");

    [Function("SearchCustomers")]
    public Task SearchCustomers([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/search")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/customers/search");

    [Function("GetCustomer")]
    public Task GetCustomer([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/customers/{id}");

    [Function("UploadKycDocument")]
    public Task UploadKycDocument([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/{id}/kyc/document")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/customers/{id}/kyc/document");

    [Function("ReviewKyc")]
    public Task ReviewKyc([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/{id}/kyc/review")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/customers/{id}/kyc/review");

    [Function("SearchListings")]
    public Task SearchListings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "listings")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/listings");

    [Function("GetListing")]
    public Task GetListing([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "listings/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/listings/{id}");

    [Function("CreateListing")]
    public Task CreateListing([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "listings")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/listings");

    [Function("ReserveListing")]
    public Task ReserveListing([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "listings/{id}/reservations")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/listings/{id}/reservations");

    [Function("CreatePlan")]
    public Task CreatePlan([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "plans")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/plans");

    [Function("GetPlan")]
    public Task GetPlan([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "plans/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/plans/{id}");

    [Function("GetPlanStatement")]
    public Task GetPlanStatement([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "plans/{id}/statement")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/plans/{id}/statement");

    [Function("IssuePlanStatementDocument")]
    public Task IssuePlanStatementDocument([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "plans/{id}/statement-documents")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/plans/{id}/statement-documents");

    [Function("RecordPlanPayment")]
    public Task RecordPlanPayment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "plans/{id}/payments")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/plans/{id}/payments");

    [Function("ImmobilizePlanVehicle")]
    public Task ImmobilizePlanVehicle([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "plans/{id}/immobilization")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/plans/{id}/immobilization");

    [Function("AssessCredit")]
    public Task AssessCredit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credit/assessments")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/credit/assessments");
}
