using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.ServiceContracts.Lifecycle;

namespace ServerlessMobility.FunctionsApp.ServiceContracts;

/// <summary>The service-contract lifecycle workflow (payments, renewal reminders, automatic renewal) and its activity.</summary>
public sealed class ContractLifecycleWorkflowFunctions
{
    [Function(ContractLifecycleWorkflow.Name)]
    public static Task<string> ServiceContractsRunLifecycle([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<ContractLifecycleWorkflow, ContractLifecycleInput, string>(context, function);

    [Function(TakeContractStepsActivity.Name)]
    public static Task<ContractLifecycleProgress> ServiceContractsTakeSteps([ActivityTrigger] ContractLifecycleInput input, FunctionContext function,
        [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<TakeContractStepsActivity, ContractLifecycleInput, ContractLifecycleProgress>(TakeContractStepsActivity.Name, input, function, durable);
}
