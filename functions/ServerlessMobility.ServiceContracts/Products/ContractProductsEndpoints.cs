using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.ServiceContracts.Records;

namespace ServerlessMobility.ServiceContracts.Products;

/// <summary>The terms of a product version as a dealership writes them; cross-field rules are checked by <see cref="ContractTermsRules"/>.</summary>
public sealed record ContractTermsRequest(
    IReadOnlyList<CoverageItem>? Coverage,
    [property: Range(1, ContractProductsEndpoints.MaxTermMonths)] int TermMonths,
    [property: Range(1, ContractProductsEndpoints.MaxTermKilometres)] int? TermKilometres,
    Eligibility? Eligibility,
    IReadOnlyList<PriceRule>? Prices);

public sealed record CreateContractProductRequest(
    [property: StringLength(ContractProductsEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string Name,
    ContractTermsRequest Terms);

public sealed record PublishContractProductVersionRequest(ContractTermsRequest Terms);

/// <summary>Contract products of the caller's dealership: created and versioned by its admins, read by its staff.</summary>
public static class ContractProductsEndpoints
{
    public const int MaxNameLength = 100;
    public const int MaxTermMonths = 120;
    public const int MaxTermKilometres = 1_000_000;
    private const int MaxItems = 50;

    public static void MapContractProducts(this IEndpointRouteBuilder api)
    {
        var products = api.MapGroup("/service-contract-products").WithTags("Service contract products");
        api.MapPost("/service-contract-products", CreateAsync).WithTags("Service contract products").WithName("CreateContractProduct").RequireRoles(PlatformRoles.DealerAdmin, PlatformRoles.Admin);
        products.MapPost("/{id}/versions", PublishAsync).WithName("PublishContractProductVersion").RequireRoles(PlatformRoles.DealerAdmin, PlatformRoles.Admin);
        products.MapGet("/{id}", GetAsync).WithName("GetContractProduct").RequireRoles(PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Admin);
    }

    public static async Task<Created<ContractProduct>> CreateAsync(CreateContractProductRequest request, HttpContext http, ITenantRepository<ContractProduct> products,
        ContractProductRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new FieldErrors();
        errors.Check(InputFormats.IsText(request.Name, MaxNameLength), "name", $"Required: at most {MaxNameLength} characters, no control characters.");
        var terms = Terms(request.Terms, "terms", errors);
        errors.ThrowIfAny();
        var user = CurrentUser.FromPrincipal(http.User);
        var product = ContractProduct.Create(Guid.NewGuid().ToString("N"), user.TenantId, request.Name.Trim(), terms!, time.GetUtcNow());
        await records.RecordAsync(product, user.Subject, cancellationToken);
        await products.CreateAsync(user.TenantId, product.Id, product, cancellationToken);
        return TypedResults.Created($"/api/service-contract-products/{product.Id}", product);
    }

    public static async Task<Ok<ContractProduct>> PublishAsync(string id, PublishContractProductVersionRequest request, HttpContext http, ITenantRepository<ContractProduct> products,
        ContractProductRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new FieldErrors();
        var terms = Terms(request.Terms, "terms", errors);
        errors.ThrowIfAny();
        var user = CurrentUser.FromPrincipal(http.User);
        var current = await products.GetAsync(user.TenantId, id, cancellationToken) ?? throw new ResourceNotFoundException("Contract product", id);
        var published = current.Value.Publish(terms!, time.GetUtcNow());
        await records.RecordAsync(published, user.Subject, cancellationToken);
        await products.ReplaceAsync(user.TenantId, id, published, current.ETag, cancellationToken);
        return TypedResults.Ok(published);
    }

    public static async Task<Ok<ContractProduct>> GetAsync(string id, HttpContext http, ITenantRepository<ContractProduct> products, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(products);
        var user = CurrentUser.FromPrincipal(http.User);
        var product = await products.GetAsync(user.TenantId, id, cancellationToken) ?? throw new ResourceNotFoundException("Contract product", id);
        return TypedResults.Ok(product.Value);
    }

    /// <summary>Null-safe field checks of the terms (JSON may leave any of them out), then the cross-field rules.</summary>
    private static ContractTerms? Terms(ContractTermsRequest? request, string field, FieldErrors errors)
    {
        if (request is null)
        {
            errors.Add(field, "The terms are required.");
            return null;
        }

        errors.Check(request.TermMonths is >= 1 and <= MaxTermMonths, $"{field}.termMonths", $"The term is 1 to {MaxTermMonths} months.");
        errors.Check(request.TermKilometres is null or (>= 1 and <= MaxTermKilometres), $"{field}.termKilometres", $"The distance is 1 to {MaxTermKilometres} km.");
        var coverage = request.Coverage ?? [];
        errors.Check(coverage.Count is >= 1 and <= MaxItems && coverage.All(c => c is not null && InputFormats.IsClientId(c.Code, MaxNameLength)
            && InputFormats.IsText(c.Name, MaxNameLength) && c.MaxClaims is null or >= 1), $"{field}.coverage",
            $"1 to {MaxItems} items, each with a code (letters, digits, '-', '_'), a name and, optionally, a positive maximum number of claims.");
        var eligibility = request.Eligibility ?? new Eligibility(null, null, []);
        var models = eligibility.Models ?? [];
        errors.Check(eligibility.MaxVehicleAgeMonths is null or >= 0 && eligibility.MaxOdometerKm is null or >= 0 && models.Count <= MaxItems
            && models.All(m => InputFormats.IsText(m, MaxNameLength)), $"{field}.eligibility", "Limits are 0 or more; models are names.");
        var prices = request.Prices ?? [];
        errors.Check(prices.Count is >= 1 and <= MaxItems && prices.All(ValidPrice), $"{field}.prices",
            "1 to 50 price rules, each with a jurisdiction, its currency, a positive net price, a deductible of 0 or more, positive limits and bands with surcharges from -100 % to +1000 %.");
        if (errors.Any)
        {
            return null;
        }

        try
        {
            return ContractTermsRules.Checked(new ContractTerms(
                [.. coverage.Select(c => c with { Code = c.Code.Trim(), Name = c.Name.Trim() })],
                request.TermMonths,
                request.TermKilometres,
                eligibility with { Models = [.. models.Select(m => m.Trim())] },
                [.. prices.Select(p => p with { AgeBands = p.AgeBands ?? [], MileageBands = p.MileageBands ?? [], ModelSurcharges = p.ModelSurcharges ?? [] })]));
        }
        catch (RequestValidationException invalid)
        {
            foreach (var (name, messages) in invalid.Errors)
            {
                errors.Add($"{field}.{name}", messages[0]);
            }

            return null;
        }
    }

    private static bool ValidPrice(PriceRule? price) =>
        price is not null && price.Jurisdiction is not null && price.Currency is not null
        && price.NetPrice > 0 && price.Deductible >= 0 && price.LimitPerClaim > 0 && price.TotalLimit > 0
        && (price.AgeBands ?? []).All(b => b is not null && b.FromMonths >= 0 && ValidRate(b.SurchargeRate))
        && (price.MileageBands ?? []).All(b => b is not null && b.FromKm >= 0 && ValidRate(b.SurchargeRate))
        && (price.ModelSurcharges ?? []).All(m => m is not null && InputFormats.IsText(m.Model, MaxNameLength) && ValidRate(m.SurchargeRate));

    private static bool ValidRate(decimal rate) => rate is >= -1m and <= 10m;
}
