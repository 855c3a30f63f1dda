using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.RentToOwn.Credit;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.Core.RentToOwn.Collection;

public static class RentToOwnServiceCollectionExtensions
{
    /// <summary>The rent-to-own workflow, activities and use cases; adapters for the ports are added by the host.</summary>
    public static IServiceCollection AddRentToOwnCore(this IServiceCollection services)
    {
        services.AddOptions<CollectionOptions>().BindConfiguration(CollectionOptions.SectionName)
            .Validate(o => o.GracePeriod >= (o.RetryOffsets.Count == 0 ? TimeSpan.Zero : o.RetryOffsets.Max()), "The grace period must cover the last retry.")
            .ValidateOnStart();
        services.AddOptions<CreditPolicy>().BindConfiguration(CreditPolicy.SectionName);
        services.AddTransient<PlanPayments>();
        services.AddWorkflow<CollectionWorkflow>(CollectionWorkflow.Name);
        services.AddWorkflowActivity<GetPlanPositionActivity>(GetPlanPositionActivity.Name);
        services.AddWorkflowActivity<ChargeInstalmentActivity>(ChargeInstalmentActivity.Name);
        services.AddWorkflowActivity<NotifyCustomerActivity>(NotifyCustomerActivity.Name);
        services.AddWorkflowActivity<DeclareDefaultActivity>(DeclareDefaultActivity.Name);
        services.AddWorkflowActivity<GetVehicleMotionActivity>(GetVehicleMotionActivity.Name);
        services.AddWorkflowActivity<SendVehicleCommandActivity>(SendVehicleCommandActivity.Name);
        return services;
    }
}
