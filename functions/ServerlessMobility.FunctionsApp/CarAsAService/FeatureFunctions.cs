using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Core.Hosting;
using ServerlessMobility.FunctionsApp.Http;
using ServerlessMobility.FunctionsApp.Workflows;

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

/// <summary>Orchestrator and activity bindings of the feature workflows; each one call into <see cref="DurableWorkflowRunner"/>.</summary>
public sealed class FeatureWorkflowFunctions(DurableWorkflowRunner runner)
{
    [Function("FeatureActivation")]
    public Task<object?> FeatureActivation([OrchestrationTrigger] TaskOrchestrationContext context) => runner.RunWorkflowAsync(context, "FeatureActivation");

    [Function("FeatureBilling")]
    public Task<object?> FeatureBilling([OrchestrationTrigger] TaskOrchestrationContext context) => runner.RunWorkflowAsync(context, "FeatureBilling");

    [Function("Features_AuthorizePayment")]
    public Task<object?> FeaturesAuthorizePayment([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_AuthorizePayment", input, function);

    [Function("Features_RecordState")]
    public Task<object?> FeaturesRecordState([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_RecordState", input, function);

    [Function("Features_SendVehicleCommand")]
    public Task<object?> FeaturesSendVehicleCommand([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_SendVehicleCommand", input, function);

    [Function("Features_SettlePayment")]
    public Task<object?> FeaturesSettlePayment([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_SettlePayment", input, function);

    [Function("Features_VoidPayment")]
    public Task<object?> FeaturesVoidPayment([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_VoidPayment", input, function);

    [Function("Features_OpenSupportCase")]
    public Task<object?> FeaturesOpenSupportCase([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_OpenSupportCase", input, function);

    [Function("Features_NotifyCustomer")]
    public Task<object?> FeaturesNotifyCustomer([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_NotifyCustomer", input, function);

    [Function("Features_StartBilling")]
    public Task<object?> FeaturesStartBilling([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_StartBilling", input, function);

    [Function("Features_BillMonth")]
    public Task<object?> FeaturesBillMonth([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_BillMonth", input, function);

    [Function("Features_RetryInvoices")]
    public Task<object?> FeaturesRetryInvoices([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_RetryInvoices", input, function);

    [Function("Features_GiveUpInvoices")]
    public Task<object?> FeaturesGiveUpInvoices([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Features_GiveUpInvoices", input, function);
}
