using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.ServiceContracts.Payments;

namespace ServerlessMobility.FunctionsApp.ServiceContracts;

/// <summary>The service-contract payment workflow and its activity.</summary>
public sealed class ContractPaymentsWorkflowFunctions
{
    [Function(ContractPaymentsWorkflow.Name)]
    public static Task<string> ServiceContractsCollectPayments([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<ContractPaymentsWorkflow, ContractPaymentsInput, string>(context, function);

    [Function(CollectContractPaymentActivity.Name)]
    public static Task<ContractPaymentProgress> ServiceContractsCollectPayment([ActivityTrigger] ContractPaymentsInput input, FunctionContext function,
        [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<CollectContractPaymentActivity, ContractPaymentsInput, ContractPaymentProgress>(CollectContractPaymentActivity.Name, input, function, durable);
}
