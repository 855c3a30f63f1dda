using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.RentToOwn.Plans;
using ServerlessMobility.RentToOwn.Credit;
using ServerlessMobility.RentToOwn.Customers;
using ServerlessMobility.RentToOwn.Listings;
using ServerlessMobility.RentToOwn.Simulation;
using ServerlessMobility.Platform.Simulation;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn;

public static class RentToOwnServiceCollectionExtensions
{
    /// <summary>The rent-to-own workflow, activities and use cases; adapters for the ports are added by the host.</summary>
    public static IServiceCollection AddRentToOwnCore(this IServiceCollection services)
    {
        services.AddOptions<CollectionOptions>().BindConfiguration(CollectionOptions.SectionName)
            .Validate(o => ValidRetrySchedule(o), "RentToOwn:Collection:RetrySchedule must be comma-separated positive TimeSpans within the grace period.")
            .Validate(o => o.ActivityRetryInterval > TimeSpan.Zero && o.ActivityRetryInterval <= OrchestrationContextExtensions.MaxActivityRetryInterval,
                "RentToOwn:Collection:ActivityRetryInterval must be positive and at most 10 minutes.")
            .ValidateOnStart();
        services.AddOptions<ManualImmobilizationOptions>().BindConfiguration(ManualImmobilizationOptions.SectionName)
            .Validate(o => o.MaxReadingAge > TimeSpan.Zero, "RentToOwn:ManualImmobilization:MaxReadingAge must be positive.").ValidateOnStart();
        services.AddOptions<CreditPolicy>().BindConfiguration(CreditPolicy.SectionName);
        services.AddOptions<KycOptions>().BindConfiguration(KycOptions.SectionName)
            .Validate(o => o.MaxDocumentBytes is > 0 and <= 64 * 1024 * 1024, "RentToOwn:Kyc:MaxDocumentBytes must be 1 byte to 64 MB.").ValidateOnStart();
        services.AddOptions<ListingOptions>().BindConfiguration(ListingOptions.SectionName)
            .Validate(o => o.ReservationHold > TimeSpan.Zero, "RentToOwn:Listings:ReservationHold must be positive.").ValidateOnStart();
        services.TryAddSingleton<RentToOwnNotifier>();
        services.TryAddSingleton<IRentToOwnNotifier>(sp => sp.GetRequiredService<RentToOwnNotifier>());
        services.TryAddSingleton<IKycStatusReader, CustomerKycStatusReader>();
        services.AddTransient<PlanPayments>();
        services.TryAddSingleton<IValidator<CreatePlanRequest>, OpenPlanValidator>();
        services.TryAddSingleton<IValidator<RecordPaymentRequest>, RecordPlanPaymentValidator>();
        services.TryAddSingleton<IValidator<ImmobilizePlanRequest>, ImmobilizePlanValidator>();
        services.TryAddTransient<PlanVehicleCommands>();
        // Transient: handlers use the request's durable client and stores.
        services.TryAddTransient<OpenPlanHandler>();
        services.TryAddTransient<RecordPlanPaymentHandler>();
        services.TryAddTransient<ImmobilizePlanHandler>();
        services.TryAddTransient<AssessCreditHandler>();
        services.TryAddSingleton<IValidator<CreateListingRequest>, CreateListingValidator>();
        services.TryAddTransient<CreateListingHandler>();
        // The showroom hands stock cars over through the kernel's port; modules never call each other directly.
        services.TryAddTransient<Platform.Vehicles.IRentToOwnMarketplace, HandOffListings>();
        services.TryAddSingleton<PlanDocuments>();
        services.AddOrchestrator<CollectionWorkflow>(CollectionWorkflow.Name);
        services.AddActivity<GetPlanPositionActivity>(GetPlanPositionActivity.Name);
        services.AddActivity<ChargeInstalmentActivity>(ChargeInstalmentActivity.Name);
        services.AddActivity<NotifyCustomerActivity>(NotifyCustomerActivity.Name);
        services.AddActivity<DeclareDefaultActivity>(DeclareDefaultActivity.Name);
        services.AddActivity<GetVehicleMotionActivity>(GetVehicleMotionActivity.Name);
        services.AddActivity<SendVehicleCommandActivity>(SendVehicleCommandActivity.Name);
        services.AddActivity<ReleaseImmobilizationActivity>(ReleaseImmobilizationActivity.Name);
        return services;
    }

    private static bool ValidRetrySchedule(CollectionOptions options) =>
        Platform.Workflows.RetrySchedule.IsValid(options.RetrySchedule) && (options.RetryOffsets.Count == 0 || options.GracePeriod >= options.RetryOffsets[^1]);

    /// <summary>
    /// Local stand-ins for the outside world (payment provider, vehicle telemetry); only where no
    /// real adapter was registered before.
    /// </summary>
    public static IServiceCollection AddRentToOwnSimulators(this IServiceCollection services)
    {
        services.AddPartnerSimulatorControl();
        services.TryAddSingleton<SimulatedMobileMoneyGateway>();
        services.TryAddSingleton<IMobileMoneyGateway>(sp => sp.GetRequiredService<SimulatedMobileMoneyGateway>());
        services.TryAddSingleton<SimulatedVehicleState>();
        services.TryAddSingleton<IVehicleStateReader>(sp => sp.GetRequiredService<SimulatedVehicleState>());
        services.TryAddSingleton<SimulatedVehicleCommandChannel>();
        services.TryAddSingleton<Platform.Vehicles.IVehicleCommandChannel>(sp => sp.GetRequiredService<SimulatedVehicleCommandChannel>());
        return services;
    }

    /// <summary>Every rent-to-own route: customers and KYC, listings and reservations, credit, plans and payments.</summary>
    public static IEndpointRouteBuilder MapRentToOwnApi(this IEndpointRouteBuilder api)
    {
        api.MapRentToOwnCustomers();
        api.MapRentToOwnListings();
        api.MapRentToOwn();
        return api;
    }
}
