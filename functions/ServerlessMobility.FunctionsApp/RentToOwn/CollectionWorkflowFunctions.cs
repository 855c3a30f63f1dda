using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.FunctionsApp.Workflows;

namespace ServerlessMobility.FunctionsApp.RentToOwn;

/// <summary>The rent-to-own collection orchestrator and its activities.</summary>
public sealed class CollectionWorkflowFunctions
{
    [Function(CollectionWorkflow.Name)]
    public static Task<CollectionResult> RentToOwnCollection([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<CollectionWorkflow, CollectionInput, CollectionResult>(context, function);

    [Function(GetPlanPositionActivity.Name)]
    public static Task<PlanPosition> GetPlanPosition([ActivityTrigger] PlanRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<GetPlanPositionActivity, PlanRef, PlanPosition>(GetPlanPositionActivity.Name, input, function, durable);

    [Function(ChargeInstalmentActivity.Name)]
    public static Task<ChargeOutcome> ChargeInstalment([ActivityTrigger] ChargeAttempt input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<ChargeInstalmentActivity, ChargeAttempt, ChargeOutcome>(ChargeInstalmentActivity.Name, input, function, durable);

    [Function(NotifyCustomerActivity.Name)]
    public static Task<Unit> NotifyCustomer([ActivityTrigger] CustomerNotification input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<NotifyCustomerActivity, CustomerNotification, Unit>(NotifyCustomerActivity.Name, input, function, durable);

    [Function(DeclareDefaultActivity.Name)]
    public static Task<bool> DeclareDefault([ActivityTrigger] PlanRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<DeclareDefaultActivity, PlanRef, bool>(DeclareDefaultActivity.Name, input, function, durable);

    [Function(GetVehicleMotionActivity.Name)]
    public static Task<VehicleMotion?> GetVehicleMotion([ActivityTrigger] VehicleRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<GetVehicleMotionActivity, VehicleRef, VehicleMotion?>(GetVehicleMotionActivity.Name, input, function, durable);

    [Function(SendVehicleCommandActivity.Name)]
    public static Task<Unit> SendVehicleCommand([ActivityTrigger] VehicleCommandRequest input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<SendVehicleCommandActivity, VehicleCommandRequest, Unit>(SendVehicleCommandActivity.Name, input, function, durable);

    [Function(ReleaseImmobilizationActivity.Name)]
    public static Task<bool> ReleaseImmobilization([ActivityTrigger] PlanRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<ReleaseImmobilizationActivity, PlanRef, bool>(ReleaseImmobilizationActivity.Name, input, function, durable);
}
