using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.ServiceContracts.Cancellation;
using ServerlessMobility.ServiceContracts.Claims;
using ServerlessMobility.ServiceContracts.Import;
using ServerlessMobility.ServiceContracts.Lifecycle;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Quotes;
using ServerlessMobility.ServiceContracts.Recommendations;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Renewal;
using ServerlessMobility.ServiceContracts.Reporting;
using ServerlessMobility.ServiceContracts.Sales;
using ServerlessMobility.ServiceContracts.Storage;

namespace ServerlessMobility.ServiceContracts;

/// <summary>Service contracts: products, quotes per country, sale with recorded acceptance, claims, cancellation, ledger-backed records, monthly reports, bulk import of legacy contracts.</summary>
public sealed class ServiceContractsModule : IPlatformModule
{
    public string Name => "Service contracts";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContractQuoteOptions>().BindConfiguration(ContractQuoteOptions.SectionName)
            .Validate(o => o.Validity > TimeSpan.Zero, "ServiceContracts:Quotes:Validity must be positive.").ValidateOnStart();
        services.AddOptions<ContractPaymentOptions>().BindConfiguration(ContractPaymentOptions.SectionName)
            .Validate(o => o.IsValid(), "ServiceContracts:Payments: the retry schedule must parse, every wait be positive and the grace period outlast the last retry.")
            .ValidateOnStart();
        services.AddOptions<ContractRenewalOptions>().BindConfiguration(ContractRenewalOptions.SectionName)
            .Validate(o => o.IsValid(), "ServiceContracts:Renewal: the auto-renewal lead must be positive and shorter than the reminder lead, which lies inside the 60-day renewal window.")
            .ValidateOnStart();
        services.AddOrchestrator<ContractLifecycleWorkflow>(ContractLifecycleWorkflow.Name);
        services.AddActivity<TakeContractStepsActivity>(TakeContractStepsActivity.Name);
        services.AddSingleton<ContractRecords>();
        services.AddSingleton<ContractProductRecords>();
        services.AddSingleton<IServiceCoverage, ContractCoverage>();
        services.AddServiceContractsStorage();
    }

    public void MapEndpoints(RouteGroupBuilder api)
    {
        api.MapContractProducts();
        api.MapContractQuotes();
        api.MapServiceContracts();
        api.MapContractClaims();
        api.MapContractCancellation();
        api.MapContractRenewal();
        api.MapContractRecommendations();
        api.MapContractReports();
        api.MapContractImports();
    }
}
