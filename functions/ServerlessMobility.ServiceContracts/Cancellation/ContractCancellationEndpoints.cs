using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Cancellation;

public sealed record CancelContractRequest(
    [property: StringLength(ContractCancellationEndpoints.MaxReasonLength), RegularExpression(InputFormats.Text)] string Reason);

/// <summary>Cancellation by the customer (their own contract) or the dealership, refunded by the law the contract was sold under.</summary>
public static class ContractCancellationEndpoints
{
    public const int MaxReasonLength = 500;

    public static void MapContractCancellation(this IEndpointRouteBuilder api) =>
        api.MapPost("/service-contracts/{id}/cancellation", CancelAsync).WithTags("Service contracts").WithName("CancelServiceContract")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);

    public static async Task<Ok<ServiceContractView>> CancelAsync(string id, CancelContractRequest request, HttpContext http, ITenantRepository<ServiceContract> contracts,
        ContractRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        if (!InputFormats.IsText(request.Reason, MaxReasonLength))
        {
            throw RequestValidationException.For("reason", $"Why the contract is cancelled (at most {MaxReasonLength} characters).");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        var cancelled = await records.ApplyAsync(contracts, user, id, contract =>
        {
            if (contract.Status == ContractStatus.Cancelled)
            {
                throw new ConflictException($"Contract '{id}' was already cancelled.");
            }

            if (contract.IsExpiredAt(now))
            {
                throw new BusinessRuleException("contract-expired", $"Contract '{id}' expired at {contract.EndsAt:O}; there is nothing to cancel.");
            }

            var (refund, explanation, withinCoolingOff) = CancellationRefund.Compute(contract, now);
            return (contract with
            {
                Status = ContractStatus.Cancelled,
                Cancellation = new ContractCancellation(now, user.Subject, request.Reason.Trim(), refund, contract.Price.Currency, explanation, withinCoolingOff),
            }, "cancelled");
        }, now, cancellationToken);
        return TypedResults.Ok(ServiceContractView.Of(cancelled, now));
    }
}
