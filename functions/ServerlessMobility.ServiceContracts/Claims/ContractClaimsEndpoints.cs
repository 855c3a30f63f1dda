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
using CurrencyRules = ServerlessMobility.Platform.Currencies.Currency;

namespace ServerlessMobility.ServiceContracts.Claims;

/// <param name="Amount">What the work cost, in the contract's currency.</param>
/// <param name="WorkshopJobId">The workshop job the work was done in; left out for a manual claim.</param>
public sealed record SubmitClaimRequest(
    [property: StringLength(ContractClaimsEndpoints.MaxCodeLength), RegularExpression(InputFormats.ClientId)] string CoverageItem,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal Amount,
    [property: Range(0, Quotes.ContractQuotesEndpoints.MaxOdometerKm)] int OdometerKm,
    [property: StringLength(ContractClaimsEndpoints.MaxDescriptionLength), RegularExpression(InputFormats.Text)] string Description,
    [property: StringLength(ContractClaimsEndpoints.MaxCodeLength), RegularExpression(InputFormats.ClientId)] string? WorkshopJobId = null);

/// <summary>Claims against a contract, by a workshop (with its job) or by dealership staff (manual). A rejected claim is recorded with its reason too.</summary>
public static class ContractClaimsEndpoints
{
    public const int MaxCodeLength = 100;
    public const int MaxDescriptionLength = 500;

    public static void MapContractClaims(this IEndpointRouteBuilder api) =>
        api.MapPost("/service-contracts/{id}/claims", SubmitAsync).WithTags("Service contracts").WithName("SubmitContractClaim")
            .RequireRoles(PlatformRoles.WorkshopStaff, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);

    public static async Task<Created<ContractClaim>> SubmitAsync(string id, SubmitClaimRequest request, HttpContext http, ITenantRepository<ServiceContract> contracts,
        ContractRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new FieldErrors();
        errors.Check(InputFormats.IsClientId(request.CoverageItem, MaxCodeLength), "coverageItem", "The coverage item's code is required.");
        errors.Check(request.Amount > 0, "amount", "The amount is positive.");
        errors.Check(request.OdometerKm is >= 0 and <= Quotes.ContractQuotesEndpoints.MaxOdometerKm, "odometerKm", "The odometer reading at the repair is required.");
        errors.Check(InputFormats.IsText(request.Description, MaxDescriptionLength), "description", $"What was repaired (at most {MaxDescriptionLength} characters).");
        errors.Check(request.WorkshopJobId is null || InputFormats.IsClientId(request.WorkshopJobId, MaxCodeLength), "workshopJobId", "A workshop job id: letters, digits, '-' and '_'.");
        errors.ThrowIfAny();
        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();
        ContractClaim? claim = null;
        await records.ApplyAsync(contracts, user, id, contract =>
        {
            if (!CurrencyRules.HasValidPrecision(request.Amount, contract.Price.Currency))
            {
                throw RequestValidationException.For("amount", $"Amounts in {contract.Price.Currency} have at most {CurrencyRules.MinorUnits(contract.Price.Currency)} decimals.");
            }

            claim = ClaimEvaluation.Evaluate(contract, $"claim-{contract.Claims.Count + 1}",
                new ClaimRequest(request.CoverageItem, request.Amount, request.OdometerKm, request.Description.Trim(), request.WorkshopJobId), user.Subject, now);
            return (contract with { Claims = [.. contract.Claims, claim] }, claim.Decision == ClaimDecision.Accepted ? "claim-accepted" : "claim-rejected");
        }, now, cancellationToken);
        return TypedResults.Created($"/api/service-contracts/{id}", claim!);
    }
}
