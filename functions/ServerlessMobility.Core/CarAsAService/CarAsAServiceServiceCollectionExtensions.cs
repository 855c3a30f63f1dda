using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.Core.CarAsAService.Features;
using ServerlessMobility.Core.CarAsAService.Orders;
using ServerlessMobility.Core.CarAsAService.Webhooks;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.Core.CarAsAService;

public static class CarAsAServiceServiceCollectionExtensions
{
    /// <summary>The workflow, its activities and options. Storage and outbound adapters are registered by their projects.</summary>
    public static IServiceCollection AddCarAsAService(this IServiceCollection services)
    {
        services.AddOptions<OrderToDeliveryOptions>().BindConfiguration(OrderToDeliveryOptions.SectionName);
        // No ValidateOnStart: a host without secrets still starts, and every webhook fails closed with 401.
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
        services.AddOptions<OrderReadCacheOptions>().BindConfiguration(OrderReadCacheOptions.SectionName);
        services.AddSingleton<OrderReadCache>();
        services.AddWorkflow<OrderToDeliveryWorkflow>(OrderToDeliveryWorkflow.Name);
        services.AddWorkflowActivity<CreatePaymentIntentActivity>(CaasActivities.CreatePaymentIntent);
        services.AddWorkflowActivity<RecordPaymentOutcomeActivity>(CaasActivities.RecordPaymentOutcome);
        services.AddWorkflowActivity<RefundPaymentActivity>(CaasActivities.RefundPayment);
        services.AddWorkflowActivity<PlaceFactoryOrderActivity>(CaasActivities.PlaceFactoryOrder);
        services.AddWorkflowActivity<ApplyManufacturingStatusActivity>(CaasActivities.ApplyManufacturingStatus);
        services.AddWorkflowActivity<SendPaymentReminderActivity>(CaasActivities.SendPaymentReminder);
        services.AddWorkflowActivity<ReturnVehicleToStockActivity>(CaasActivities.ReturnVehicleToStock);
        services.AddWorkflowActivity<AssignVehicleActivity>(CaasActivities.AssignVehicle);
        services.AddWorkflowActivity<RegisterVehicleActivity>(CaasActivities.RegisterVehicle);
        services.AddWorkflowActivity<ProposeDeliveryActivity>(CaasActivities.ProposeDelivery);
        services.AddWorkflowActivity<IssueInvoiceActivity>(CaasActivities.IssueInvoice);
        services.AddWorkflowActivity<CompleteOrderActivity>(CaasActivities.CompleteOrder);
        services.AddWorkflowActivity<CancelOrderActivity>(CaasActivities.CancelOrder);
        return services.AddCarAsAServiceFeatures();
    }

    /// <summary>Over-the-air features: the activation and billing workflows, their activities and the ports with a local default.</summary>
    public static IServiceCollection AddCarAsAServiceFeatures(this IServiceCollection services)
    {
        services.AddOptions<FeatureActivationOptions>().BindConfiguration(FeatureActivationOptions.SectionName)
            .Validate(o => RetrySchedule.IsValid(o.InvoiceRetrySchedule), "CarAsAService:Features:InvoiceRetrySchedule must be comma-separated positive TimeSpans.")
            .ValidateOnStart();
        services.AddOptions<FeatureMaintenanceOptions>().BindConfiguration(FeatureMaintenanceOptions.SectionName);
        services.TryAddSingleton<IMaintenanceSystem, TelemetryMaintenanceSystem>();
        services.TryAddSingleton<ISupportDesk, DocumentSupportDesk>();
        services.AddWorkflow<FeatureActivationWorkflow>(FeatureActivationWorkflow.Name);
        services.AddWorkflow<FeatureBillingWorkflow>(FeatureBillingWorkflow.Name);
        services.AddWorkflowActivity<AuthorizeFeaturePaymentActivity>(FeatureActivities.AuthorizePayment);
        services.AddWorkflowActivity<RecordFeatureStateActivity>(FeatureActivities.RecordState);
        services.AddWorkflowActivity<SendFeatureCommandActivity>(FeatureActivities.SendVehicleCommand);
        services.AddWorkflowActivity<SettleFeaturePaymentActivity>(FeatureActivities.SettlePayment);
        services.AddWorkflowActivity<VoidFeaturePaymentActivity>(FeatureActivities.VoidPayment);
        services.AddWorkflowActivity<OpenFeatureSupportCaseActivity>(FeatureActivities.OpenSupportCase);
        services.AddWorkflowActivity<NotifyFeatureCustomerActivity>(FeatureActivities.NotifyCustomer);
        services.AddWorkflowActivity<StartFeatureBillingActivity>(FeatureActivities.StartBilling);
        services.TryAddSingleton<FeatureInvoiceCollector>();
        services.AddWorkflowActivity<BillFeatureMonthActivity>(FeatureActivities.BillMonth);
        services.AddWorkflowActivity<RetryFeatureInvoicesActivity>(FeatureActivities.RetryInvoices);
        services.AddWorkflowActivity<GiveUpFeatureInvoicesActivity>(FeatureActivities.GiveUpInvoices);
        return services;
    }

    public static RouteGroupBuilder MapCarAsAService(this RouteGroupBuilder api) =>
        api.MapCarAsAServiceOrders().MapCarAsAServiceFeatures().MapCarAsAServiceWebhooks();
}
