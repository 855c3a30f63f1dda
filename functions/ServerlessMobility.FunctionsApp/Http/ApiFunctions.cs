using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Hosting;

namespace ServerlessMobility.FunctionsApp.Http;

/// <summary>
/// One HTTP function per core route, each a single call into the core endpoint behind the shared
/// platform pipeline (authentication, protection, authorization, problem details). Authorization
/// level is anonymous because the pipeline validates the JWT itself. The route key must match the
/// trigger's method and route: tests/ServerlessMobility.FunctionsApp.Tests checks both against the
/// local host.
/// </summary>
public sealed class ApiFunctions(CoreEndpointInvoker api) : HttpFunctions(api)
{
    [Function("GetHealth")]
    public Task GetHealth([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/health");

    [Function("GetMe")]
    public Task GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/me");

    [Function("VerifyAuditLedger")]
    public Task VerifyAuditLedger([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/audit/verify")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/admin/audit/verify");

    [Function("ReadAuditRecords")]
    public Task ReadAuditRecords([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/audit/records")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/admin/audit/records");

    [Function("ListOperatorTasks")]
    public Task ListOperatorTasks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operator-tasks")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/operator-tasks");

    [Function("RegisterVehicle")]
    public Task RegisterVehicle([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vehicles")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/vehicles");

    [Function("ListVehicles")]
    public Task ListVehicles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles");

    [Function("GetVehicleState")]
    public Task GetVehicleState([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles/{vin}/state")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles/{vin}/state");

    [Function("GetVehicleTrips")]
    public Task GetVehicleTrips([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles/{vin}/trips")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles/{vin}/trips");

    [Function("GetVehicleRiskEvents")]
    public Task GetVehicleRiskEvents([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles/{vin}/risk-events")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles/{vin}/risk-events");

    [Function("ListVehicleGeofences")]
    public Task ListVehicleGeofences([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles/{vin}/geofences")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles/{vin}/geofences");

    [Function("PutVehicleGeofence")]
    public Task PutVehicleGeofence([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "vehicles/{vin}/geofences/{geofenceId}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/vehicles/{vin}/geofences/{geofenceId}");

    [Function("DeleteVehicleGeofence")]
    public Task DeleteVehicleGeofence([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "vehicles/{vin}/geofences/{geofenceId}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "DELETE /api/vehicles/{vin}/geofences/{geofenceId}");

    [Function("StreamVehicleState")]
    public Task StreamVehicleState([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vehicles/{vin}/stream")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/vehicles/{vin}/stream");

    [Function("RegisterSale")]
    public Task RegisterSale([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/orders");

    [Function("GetOrder")]
    public Task GetOrder([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/orders/{id}");

    [Function("ListOrders")]
    public Task ListOrders([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/orders");

    [Function("RescheduleDelivery")]
    public Task RescheduleDelivery([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "orders/{id}/delivery-appointment")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "PUT /api/orders/{id}/delivery-appointment");

    [Function("GetPurchaseRecord")]
    public Task GetPurchaseRecord([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{id}/purchase-record")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/customers/{id}/purchase-record");

    [Function("GetWorkflowStatus")]
    public Task GetWorkflowStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workflows/{instanceId}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "GET /api/workflows/{instanceId}");

    [Function("PaymentsWebhook")]
    public Task PaymentsWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/payments")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/webhooks/payments");

    [Function("FactoryWebhook")]
    public Task FactoryWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/factory")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        Invoke(request, durable, "POST /api/webhooks/factory");
}
