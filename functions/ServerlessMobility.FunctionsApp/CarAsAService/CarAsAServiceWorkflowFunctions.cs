using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.CarAsAService;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.FunctionsApp.Workflows;

namespace ServerlessMobility.FunctionsApp.CarAsAService;

/// <summary>The order-to-delivery orchestrator and its activities: each function runs the core class of the same name.</summary>
public sealed class OrderWorkflowFunctions
{
    [Function(OrderToDeliveryWorkflow.Name)]
    public static Task<OrderToDeliveryResult> OrderToDelivery([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<OrderToDeliveryWorkflow, OrderRef, OrderToDeliveryResult>(context, function);

    [Function(CaasActivities.CreatePaymentIntent)]
    public static Task<PaymentIntent> CreatePaymentIntent([ActivityTrigger] PaymentRequestInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<CreatePaymentIntentActivity, PaymentRequestInput, PaymentIntent>(CaasActivities.CreatePaymentIntent, input, function, durable);

    [Function(CaasActivities.RecordPaymentOutcome)]
    public static Task<Unit> RecordPaymentOutcome([ActivityTrigger] PaymentOutcomeInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<RecordPaymentOutcomeActivity, PaymentOutcomeInput, Unit>(CaasActivities.RecordPaymentOutcome, input, function, durable);

    [Function(CaasActivities.RefundPayment)]
    public static Task<Unit> RefundPayment([ActivityTrigger] PaymentRequestInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<RefundPaymentActivity, PaymentRequestInput, Unit>(CaasActivities.RefundPayment, input, function, durable);

    [Function(CaasActivities.PlaceFactoryOrder)]
    public static Task<FactoryOrderResult> PlaceFactoryOrder([ActivityTrigger] OrderRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<PlaceFactoryOrderActivity, OrderRef, FactoryOrderResult>(CaasActivities.PlaceFactoryOrder, input, function, durable);

    [Function(CaasActivities.ApplyManufacturingStatus)]
    public static Task<Unit> ApplyManufacturingStatus([ActivityTrigger] ManufacturingStatusInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<ApplyManufacturingStatusActivity, ManufacturingStatusInput, Unit>(CaasActivities.ApplyManufacturingStatus, input, function, durable);

    [Function(CaasActivities.SendPaymentReminder)]
    public static Task<Unit> SendPaymentReminder([ActivityTrigger] ReminderInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<SendPaymentReminderActivity, ReminderInput, Unit>(CaasActivities.SendPaymentReminder, input, function, durable);

    [Function(CaasActivities.ReturnVehicleToStock)]
    public static Task<Unit> ReturnVehicleToStock([ActivityTrigger] OrderRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<ReturnVehicleToStockActivity, OrderRef, Unit>(CaasActivities.ReturnVehicleToStock, input, function, durable);

    [Function(CaasActivities.AssignVehicle)]
    public static Task<Unit> AssignVehicle([ActivityTrigger] OrderRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<AssignVehicleActivity, OrderRef, Unit>(CaasActivities.AssignVehicle, input, function, durable);

    [Function(CaasActivities.RegisterVehicle)]
    public static Task<string> RegisterVehicle([ActivityTrigger] OrderRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<RegisterVehicleActivity, OrderRef, string>(CaasActivities.RegisterVehicle, input, function, durable);

    [Function(CaasActivities.ProposeDelivery)]
    public static Task<DateTimeOffset> ProposeDelivery([ActivityTrigger] OrderRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<ProposeDeliveryActivity, OrderRef, DateTimeOffset>(CaasActivities.ProposeDelivery, input, function, durable);

    [Function(CaasActivities.IssueInvoice)]
    public static Task<IReadOnlyList<string>> IssueInvoice([ActivityTrigger] OrderRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<IssueInvoiceActivity, OrderRef, IReadOnlyList<string>>(CaasActivities.IssueInvoice, input, function, durable);

    [Function(CaasActivities.CompleteOrder)]
    public static Task<Unit> CompleteOrder([ActivityTrigger] OrderRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<CompleteOrderActivity, OrderRef, Unit>(CaasActivities.CompleteOrder, input, function, durable);

    [Function(CaasActivities.CancelOrder)]
    public static Task<Unit> CancelOrder([ActivityTrigger] CancelOrderInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<CancelOrderActivity, CancelOrderInput, Unit>(CaasActivities.CancelOrder, input, function, durable);
}

/// <summary>The feature activation and billing orchestrators and their activities.</summary>
public sealed class FeatureWorkflowFunctions
{
    [Function(FeatureActivationWorkflow.Name)]
    public static Task<FeatureActivationResult> FeatureActivation([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<FeatureActivationWorkflow, FeaturePurchaseRef, FeatureActivationResult>(context, function);

    [Function(FeatureBillingWorkflow.Name)]
    public static Task<FeatureBillingResult> FeatureBilling([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<FeatureBillingWorkflow, FeatureBillingInput, FeatureBillingResult>(context, function);

    [Function(FeatureActivities.AuthorizePayment)]
    public static Task<CardAuthorization> AuthorizeFeaturePayment([ActivityTrigger] FeaturePurchaseRef input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<AuthorizeFeaturePaymentActivity, FeaturePurchaseRef, CardAuthorization>(FeatureActivities.AuthorizePayment, input, function, durable);

    [Function(FeatureActivities.RecordState)]
    public static Task<FeatureSubscription> RecordFeatureState([ActivityTrigger] FeatureStateUpdate input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<RecordFeatureStateActivity, FeatureStateUpdate, FeatureSubscription>(FeatureActivities.RecordState, input, function, durable);

    [Function(FeatureActivities.SendVehicleCommand)]
    public static Task<Unit> SendFeatureCommand([ActivityTrigger] FeatureCommand input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<SendFeatureCommandActivity, FeatureCommand, Unit>(FeatureActivities.SendVehicleCommand, input, function, durable);

    [Function(FeatureActivities.SettlePayment)]
    public static Task<Unit> SettleFeaturePayment([ActivityTrigger] FeatureSettlement input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<SettleFeaturePaymentActivity, FeatureSettlement, Unit>(FeatureActivities.SettlePayment, input, function, durable);

    [Function(FeatureActivities.VoidPayment)]
    public static Task<Unit> VoidFeaturePayment([ActivityTrigger] FeatureSettlement input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<VoidFeaturePaymentActivity, FeatureSettlement, Unit>(FeatureActivities.VoidPayment, input, function, durable);

    [Function(FeatureActivities.OpenSupportCase)]
    public static Task<Unit> OpenFeatureSupportCase([ActivityTrigger] FeatureSupportRequest input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<OpenFeatureSupportCaseActivity, FeatureSupportRequest, Unit>(FeatureActivities.OpenSupportCase, input, function, durable);

    [Function(FeatureActivities.OpenOperatorTask)]
    public static Task<Unit> OpenFeatureOperatorTask([ActivityTrigger] FeatureOperatorTaskRequest input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<OpenFeatureOperatorTaskActivity, FeatureOperatorTaskRequest, Unit>(FeatureActivities.OpenOperatorTask, input, function, durable);

    [Function(FeatureActivities.NotifyCustomer)]
    public static Task<Unit> NotifyFeatureCustomer([ActivityTrigger] FeatureNotice input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<NotifyFeatureCustomerActivity, FeatureNotice, Unit>(FeatureActivities.NotifyCustomer, input, function, durable);

    [Function(FeatureActivities.StartBilling)]
    public static Task<Unit> StartFeatureBilling([ActivityTrigger] FeatureBillingStart input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<StartFeatureBillingActivity, FeatureBillingStart, Unit>(FeatureActivities.StartBilling, input, function, durable);

    [Function(FeatureActivities.BillMonth)]
    public static Task<FeatureMonthBilled> BillFeatureMonth([ActivityTrigger] FeatureBillingInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<BillFeatureMonthActivity, FeatureBillingInput, FeatureMonthBilled>(FeatureActivities.BillMonth, input, function, durable);

    [Function(FeatureActivities.RetryInvoices)]
    public static Task<IReadOnlyList<string>> RetryFeatureInvoices([ActivityTrigger] FeatureInvoiceRound input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<RetryFeatureInvoicesActivity, FeatureInvoiceRound, IReadOnlyList<string>>(FeatureActivities.RetryInvoices, input, function, durable);

    [Function(FeatureActivities.GiveUpInvoices)]
    public static Task<Unit> GiveUpFeatureInvoices([ActivityTrigger] FeatureInvoiceRound input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<GiveUpFeatureInvoicesActivity, FeatureInvoiceRound, Unit>(FeatureActivities.GiveUpInvoices, input, function, durable);
}
