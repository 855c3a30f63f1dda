using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.Workshop.Approval;

namespace ServerlessMobility.FunctionsApp.Workshop;

/// <summary>The workshop's estimate-approval workflow and its activities.</summary>
public sealed class ApprovalWorkflowFunctions
{
    [Function(ApprovalWorkflow.Name)]
    public static Task<string> WorkshopAwaitApproval([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<ApprovalWorkflow, ApprovalWaitInput, string>(context, function);

    [Function(NotifyOwnerActivity.Name)]
    public static Task<bool> WorkshopNotifyOwner([ActivityTrigger] OwnerNoticeRequest input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<NotifyOwnerActivity, OwnerNoticeRequest, bool>(NotifyOwnerActivity.Name, input, function, durable);

    [Function(ExpireEstimateActivity.Name)]
    public static Task<bool> WorkshopExpireEstimate([ActivityTrigger] ApprovalWaitInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<ExpireEstimateActivity, ApprovalWaitInput, bool>(ExpireEstimateActivity.Name, input, function, durable);
}
