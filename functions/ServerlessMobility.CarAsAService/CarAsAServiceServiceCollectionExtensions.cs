using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Webhooks;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.CarAsAService;

public static class CarAsAServiceServiceCollectionExtensions
{
    /// <summary>The workflow, its activities and options. Storage and outbound adapters are registered by their projects.</summary>
    public static IServiceCollection AddCarAsAService(this IServiceCollection services)
    {
        services.AddOptions<OrderToDeliveryOptions>().BindConfiguration(OrderToDeliveryOptions.SectionName);
        // No ValidateOnStart: a host without secrets still starts, and every webhook fails closed with 401.
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
        services.AddTenantReadCache<Order>("CarAsAService:OrderReadCache");
        services.AddSingleton<ICustomerNotifier, Customers.CaasCustomerNotifier>();
        services.TryAddTransient<Payments.LatePayments>(); // uses the payment provider, a typed HTTP client in Azure
        services.AddOrchestrator<OrderToDeliveryWorkflow>(OrderToDeliveryWorkflow.Name);
        services.AddActivity<CreatePaymentIntentActivity>(CaasActivities.CreatePaymentIntent);
        services.AddActivity<RecordPaymentOutcomeActivity>(CaasActivities.RecordPaymentOutcome);
        services.AddActivity<RefundPaymentActivity>(CaasActivities.RefundPayment);
        services.AddActivity<PlaceFactoryOrderActivity>(CaasActivities.PlaceFactoryOrder);
        services.AddActivity<ApplyManufacturingStatusActivity>(CaasActivities.ApplyManufacturingStatus);
        services.AddActivity<SendPaymentReminderActivity>(CaasActivities.SendPaymentReminder);
        services.AddActivity<ReturnVehicleToStockActivity>(CaasActivities.ReturnVehicleToStock);
        services.AddActivity<AssignVehicleActivity>(CaasActivities.AssignVehicle);
        services.AddActivity<RegisterVehicleActivity>(CaasActivities.RegisterVehicle);
        services.AddActivity<ProposeDeliveryActivity>(CaasActivities.ProposeDelivery);
        services.AddActivity<IssueInvoiceActivity>(CaasActivities.IssueInvoice);
        services.AddActivity<CompleteOrderActivity>(CaasActivities.CompleteOrder);
        services.AddActivity<CancelOrderActivity>(CaasActivities.CancelOrder);
        return services.AddCarAsAServiceFeatures();
    }

    /// <summary>Over-the-air features: the activation and billing workflows, their activities and the ports with a local default.</summary>
    public static IServiceCollection AddCarAsAServiceFeatures(this IServiceCollection services)
    {
        services.AddOptions<FeatureActivationOptions>().BindConfiguration(FeatureActivationOptions.SectionName)
            .Validate(o => RetrySchedule.IsValid(o.InvoiceRetrySchedule), "CarAsAService:Features:InvoiceRetrySchedule must be comma-separated positive TimeSpans.")
            .Validate(o => FeatureCalendar.IsValidMonthLength(o.MonthLength),
                "CarAsAService:Features:MonthLength must be empty (calendar months) or a TimeSpan from 00:00:01 to 31.00:00:00.")
            .ValidateOnStart();
        services.AddOptions<FeatureMaintenanceOptions>().BindConfiguration(FeatureMaintenanceOptions.SectionName);
        services.TryAddSingleton<IMaintenanceSystem, TelemetryMaintenanceSystem>();
        services.TryAddTransient<FeatureEligibility>();
        services.TryAddSingleton<IValidator<PurchaseFeature>, PurchaseFeatureValidator>();
        // Transient: the durable client it starts workflows with is the invocation's own in the Functions app.
        services.TryAddTransient<PurchaseFeatureHandler>();
        services.TryAddSingleton<ISupportDesk, DocumentSupportDesk>();
        services.AddOrchestrator<FeatureActivationWorkflow>(FeatureActivationWorkflow.Name);
        services.AddOrchestrator<FeatureBillingWorkflow>(FeatureBillingWorkflow.Name);
        services.AddActivity<AuthorizeFeaturePaymentActivity>(FeatureActivities.AuthorizePayment);
        services.AddActivity<RecordFeatureStateActivity>(FeatureActivities.RecordState);
        services.AddActivity<SendFeatureCommandActivity>(FeatureActivities.SendVehicleCommand);
        services.AddActivity<SettleFeaturePaymentActivity>(FeatureActivities.SettlePayment);
        services.AddActivity<VoidFeaturePaymentActivity>(FeatureActivities.VoidPayment);
        services.AddActivity<OpenFeatureSupportCaseActivity>(FeatureActivities.OpenSupportCase);
        services.AddActivity<OpenFeatureOperatorTaskActivity>(FeatureActivities.OpenOperatorTask);
        services.AddOptions<FeatureReconcilerOptions>().BindConfiguration(FeatureReconcilerOptions.SectionName)
            .Validate(o => o.Interval > TimeSpan.Zero && o.Lookback > TimeSpan.Zero, "CarAsAService:Features:Reconciler: Interval and Lookback must be positive.")
            .ValidateOnStart();
        // Transient: it uses the vehicle channel and card payments, typed HTTP clients in Azure.
        services.TryAddTransient<FeatureActivationReconciler>();
        services.AddActivity<NotifyFeatureCustomerActivity>(FeatureActivities.NotifyCustomer);
        services.AddActivity<StartFeatureBillingActivity>(FeatureActivities.StartBilling);
        services.TryAddSingleton<FeatureInvoicePdf>();
        services.TryAddSingleton<FeatureInvoiceCollector>();
        services.AddActivity<BillFeatureMonthActivity>(FeatureActivities.BillMonth);
        services.AddActivity<RetryFeatureInvoicesActivity>(FeatureActivities.RetryInvoices);
        services.AddActivity<GiveUpFeatureInvoicesActivity>(FeatureActivities.GiveUpInvoices);
        return services;
    }

    public static RouteGroupBuilder MapCarAsAService(this RouteGroupBuilder api) =>
        api.MapCarAsAServiceOrders().MapCarAsAServiceFeatures().MapCarAsAServiceWebhooks();
}
