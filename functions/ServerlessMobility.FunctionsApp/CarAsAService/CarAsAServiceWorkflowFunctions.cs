using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using ServerlessMobility.FunctionsApp.Workflows;

namespace ServerlessMobility.FunctionsApp.CarAsAService;

/// <summary>Orchestrator and activity bindings of this feature's workflows; each one call into <see cref="DurableWorkflowRunner"/>.</summary>
public sealed class CarAsAServiceWorkflowFunctions(DurableWorkflowRunner runner)
{
    [Function("OrderToDelivery")]
    public Task<object?> OrderToDelivery([OrchestrationTrigger] TaskOrchestrationContext context) => runner.RunWorkflowAsync(context, "OrderToDelivery");

    [Function("Caas_CreatePaymentIntent")]
    public Task<object?> CaasCreatePaymentIntent([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_CreatePaymentIntent", input, function);

    [Function("Caas_RecordPaymentOutcome")]
    public Task<object?> CaasRecordPaymentOutcome([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_RecordPaymentOutcome", input, function);

    [Function("Caas_RefundPayment")]
    public Task<object?> CaasRefundPayment([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_RefundPayment", input, function);

    [Function("Caas_PlaceFactoryOrder")]
    public Task<object?> CaasPlaceFactoryOrder([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_PlaceFactoryOrder", input, function);

    [Function("Caas_ApplyManufacturingStatus")]
    public Task<object?> CaasApplyManufacturingStatus([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_ApplyManufacturingStatus", input, function);

    [Function("Caas_SendPaymentReminder")]
    public Task<object?> CaasSendPaymentReminder([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_SendPaymentReminder", input, function);

    [Function("Caas_ReturnVehicleToStock")]
    public Task<object?> CaasReturnVehicleToStock([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_ReturnVehicleToStock", input, function);

    [Function("Caas_AssignVehicle")]
    public Task<object?> CaasAssignVehicle([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_AssignVehicle", input, function);

    [Function("Caas_RegisterVehicle")]
    public Task<object?> CaasRegisterVehicle([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_RegisterVehicle", input, function);

    [Function("Caas_ProposeDelivery")]
    public Task<object?> CaasProposeDelivery([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_ProposeDelivery", input, function);

    [Function("Caas_IssueInvoice")]
    public Task<object?> CaasIssueInvoice([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_IssueInvoice", input, function);

    [Function("Caas_CompleteOrder")]
    public Task<object?> CaasCompleteOrder([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_CompleteOrder", input, function);

    [Function("Caas_CancelOrder")]
    public Task<object?> CaasCancelOrder([ActivityTrigger] JsonElement input, FunctionContext function) => runner.RunActivityAsync("Caas_CancelOrder", input, function);
}
