using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.ServiceContracts.Lifecycle;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Renewal;

/// <param name="Given">True to consent to renewal without being asked again; false withdraws an earlier consent.</param>
public sealed record RenewalConsentRequest(bool Given);

/// <param name="OdometerKm">The vehicle's odometer now: the renewal is priced and checked for eligibility with it.</param>
public sealed record RenewContractRequest([property: Range(0, Quotes.ContractQuotesEndpoints.MaxOdometerKm)] int OdometerKm);

/// <summary>Renewal: the customer records (or withdraws) consent; the customer, or with consent the dealership, renews.</summary>
public static class ContractRenewalEndpoints
{
    public static void MapContractRenewal(this IEndpointRouteBuilder api)
    {
        api.MapPost("/service-contracts/{id}/renewal-consent", ConsentAsync).WithTags("Service contracts").WithName("RecordRenewalConsent").RequireRoles(PlatformRoles.Customer);
        api.MapPost("/service-contracts/{id}/renewal", RenewAsync).WithTags("Service contracts").WithName("RenewServiceContract")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);
    }

    /// <summary>Only the customer whose contract it is can give or withdraw consent; the time and address are recorded with it.</summary>
    public static async Task<Ok<ServiceContractView>> ConsentAsync(string id, RenewalConsentRequest request, HttpContext http, ITenantRepository<ServiceContract> contracts,
        ContractRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var changed = await records.ApplyAsync(contracts, user, id, contract =>
        {
            if (!string.Equals(contract.CustomerId, user.Subject, StringComparison.Ordinal))
            {
                throw new ResourceNotFoundException("Service contract", id);
            }

            return (contract with { RenewalConsent = new RenewalConsent(request.Given, now, address) }, request.Given ? "renewal-consent-given" : "renewal-consent-withdrawn");
        }, now, cancellationToken);
        return TypedResults.Ok(ServiceContractView.Of(changed, now));
    }

    public static async Task<Ok<ServiceContractView>> RenewAsync(string id, RenewContractRequest request, HttpContext http, ITenantRepository<ServiceContract> contracts,
        ContractRecords records, DurableTaskClient workflows, IOptions<ContractPaymentOptions> payments, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        if (request.OdometerKm is < 0 or > Quotes.ContractQuotesEndpoints.MaxOdometerKm)
        {
            throw RequestValidationException.For("odometerKm", $"The odometer reading is 0 to {Quotes.ContractQuotesEndpoints.MaxOdometerKm} km.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        var renewed = await records.ApplyAsync(contracts, user, id, contract =>
        {
            var byCustomer = string.Equals(contract.CustomerId, user.Subject, StringComparison.Ordinal) && user.IsInRole(PlatformRoles.Customer);
            return (ContractRenewals.Renew(contract, request.OdometerKm, user.Subject, byCustomer, now, payments.Value.MonthLength), "renewed");
        }, now, cancellationToken);

        // The contract's workflow collects the new term's instalments from the old term's end; it looks again now.
        await workflows.RaiseIfRunningAsync(ContractLifecycleWorkflow.InstanceIdFor(renewed.TenantId, renewed.Id), ContractLifecycleWorkflow.ContractChangedEvent,
            "renewed", cancellationToken);
        return TypedResults.Ok(ServiceContractView.Of(renewed, now));
    }
}
