using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.ServiceContracts;

/// <summary>Service-contract HTTP functions: one per core route, each a single call into the core (see ApiFunctions).</summary>
public sealed class ServiceContractsApiFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("CreateContractProduct")]
    public Task CreateContractProduct([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contract-products")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contract-products");

    [Function("GetContractProduct")]
    public Task GetContractProduct([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contract-products/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contract-products/{id}");

    [Function("PublishContractProductVersion")]
    public Task PublishContractProductVersion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contract-products/{id}/versions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contract-products/{id}/versions");

    [Function("CreateContractQuote")]
    public Task CreateContractQuote([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contract-quotes")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contract-quotes");

    [Function("GetContractQuote")]
    public Task GetContractQuote([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contract-quotes/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contract-quotes/{id}");

    [Function("AcceptContractQuote")]
    public Task AcceptContractQuote([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contract-quotes/{id}/acceptance")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contract-quotes/{id}/acceptance");

    [Function("GetServiceContract")]
    public Task GetServiceContract([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contracts/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contracts/{id}");

    [Function("RecommendServiceContracts")]
    public Task RecommendServiceContracts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contract-recommendations")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contract-recommendations");

    [Function("VerifyServiceContract")]
    public Task VerifyServiceContract([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contracts/{id}/verification")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contracts/{id}/verification");

    [Function("VerifyServiceContractReceipt")]
    public Task VerifyServiceContractReceipt([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contracts/{id}/receipt-verification")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contracts/{id}/receipt-verification");

    [Function("RecordRenewalConsent")]
    public Task RecordRenewalConsent([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contracts/{id}/renewal-consent")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contracts/{id}/renewal-consent");

    [Function("RenewServiceContract")]
    public Task RenewServiceContract([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contracts/{id}/renewal")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contracts/{id}/renewal");

    [Function("SubmitContractClaim")]
    public Task SubmitContractClaim([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contracts/{id}/claims")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contracts/{id}/claims");

    [Function("CancelServiceContract")]
    public Task CancelServiceContract([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contracts/{id}/cancellation")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contracts/{id}/cancellation");

    [Function("GetMonthlyContractReport")]
    public Task GetMonthlyContractReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contract-reports/monthly")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contract-reports/monthly");

    [Function("GetMonthlyContractReportWorkbook")]
    public Task GetMonthlyContractReportWorkbook([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "service-contract-reports/monthly.xlsx")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/service-contract-reports/monthly.xlsx");

    [Function("ImportServiceContracts")]
    public Task ImportServiceContracts([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "service-contract-imports")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/service-contract-imports");
}
