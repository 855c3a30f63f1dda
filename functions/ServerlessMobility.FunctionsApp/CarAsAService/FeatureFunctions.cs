using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.Http;

namespace ServerlessMobility.FunctionsApp.CarAsAService;

/// <summary>HTTP routes of over-the-air features; each one call into the core endpoint behind the platform pipeline.</summary>
public sealed class FeatureApiFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("PutFeatureDefinition")]
    public Task PutFeatureDefinition([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "models/{modelId}/features/{code}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/models/{modelId}/features/{code}");

    [Function("ListFeatureDefinitions")]
    public Task ListFeatureDefinitions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "models/{modelId}/features")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/models/{modelId}/features");

    [Function("ListVehicleFeatures")]
    public Task ListVehicleFeatures([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles/{vin}/features")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles/{vin}/features");

    [Function("ListFeatureSubscriptions")]
    public Task ListFeatureSubscriptions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles/{vin}/features/subscriptions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles/{vin}/features/subscriptions");

    [Function("PurchaseFeature")]
    public Task PurchaseFeature([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vehicles/{vin}/features/{code}/purchase")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/vehicles/{vin}/features/{code}/purchase");

    [Function("CancelFeature")]
    public Task CancelFeature([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vehicles/{vin}/features/{code}/cancel")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/vehicles/{vin}/features/{code}/cancel");

    [Function("SettleFeatureInvoice")]
    public Task SettleFeatureInvoice([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/{customerId}/feature-invoices/{invoiceId}/settlement")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/customers/{customerId}/feature-invoices/{invoiceId}/settlement");
}

/// <summary>
/// Compensates feature activations whose workflow was terminated or failed (Durable runs no orchestrator code on
/// terminate, and the management API in Azure is the extension's own). The local host runs the same sweep as a
/// background loop (CarAsAService:Features:Reconciler:Interval).
/// </summary>
public sealed class FeatureReconcilerFunctions(ServerlessMobility.CarAsAService.Features.FeatureActivationReconciler reconciler)
{
    [Function("ReconcileFeatureActivations")]
    public Task ReconcileFeatureActivations([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        reconciler.SweepAsync(durable, cancellationToken);
}
