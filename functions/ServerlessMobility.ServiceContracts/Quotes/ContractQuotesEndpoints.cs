using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Products;

namespace ServerlessMobility.ServiceContracts.Quotes;

/// <param name="CustomerId">The customer's identity (their token's subject): only that customer can accept the quote.</param>
/// <param name="Jurisdiction">Where the contract is sold: DE, ES, FR, GB, KE, IN or US-CA.</param>
/// <param name="FirstRegistered">The vehicle's first registration date; its age decides eligibility and surcharges.</param>
/// <param name="Payment">Once (the default: the whole price at the sale) or monthly (equal instalments over the term).</param>
public sealed record CreateContractQuoteRequest(
    [property: StringLength(ContractQuotesEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string ProductId,
    [property: StringLength(ContractQuotesEndpoints.MaxIdLength), RegularExpression(InputFormats.Text)] string CustomerId,
    [property: RegularExpression(CountryRulebook.JurisdictionPattern)] string Jurisdiction,
    [property: RegularExpression(VinFormat.Pattern)] string Vin,
    [property: StringLength(ContractProductsEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string Model,
    DateOnly FirstRegistered,
    [property: Range(0, ContractQuotesEndpoints.MaxOdometerKm)] int OdometerKm,
    PaymentSchedule? Payment = null);

public sealed class ContractQuoteOptions
{
    public const string SectionName = "ServiceContracts:Quotes";

    /// <summary>How long a quote can be accepted; prices and rules may change after that.</summary>
    public TimeSpan Validity { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>Quotes: dealership staff price a product for a customer's vehicle in a jurisdiction; the quote explains its price and expires.</summary>
public static class ContractQuotesEndpoints
{
    public const int MaxIdLength = 100;
    public const int MaxOdometerKm = 2_000_000;

    public static void MapContractQuotes(this IEndpointRouteBuilder api)
    {
        var quotes = api.MapGroup("/service-contract-quotes").WithTags("Service contract quotes");
        api.MapPost("/service-contract-quotes", CreateAsync).WithTags("Service contract quotes").WithName("CreateContractQuote").RequireRoles(PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);
        quotes.MapGet("/{id}", GetAsync).WithName("GetContractQuote").RequireRoles(PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);
    }

    public static async Task<Created<ContractQuote>> CreateAsync(CreateContractQuoteRequest request, HttpContext http, ITenantRepository<ContractProduct> products,
        ITenantRepository<ContractQuote> quotes, IOptions<ContractQuoteOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(quotes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new FieldErrors();
        errors.Check(InputFormats.IsClientId(request.ProductId, MaxIdLength), "productId", "A product id is required.");
        errors.Check(InputFormats.IsText(request.CustomerId, MaxIdLength), "customerId", $"A customer id is required (at most {MaxIdLength} characters).");
        errors.Check(InputFormats.Matches(request.Jurisdiction, CountryRulebook.JurisdictionPattern), "jurisdiction", "A country code (DE) or a country and subdivision (US-CA) is required.");
        var vin = request.Vin?.Trim().ToUpperInvariant();
        errors.Check(InputFormats.Matches(vin, VinFormat.Pattern), "vin", VinFormat.Description);
        errors.Check(InputFormats.IsText(request.Model, ContractProductsEndpoints.MaxNameLength), "model", "The vehicle's model is required.");
        errors.Check(request.OdometerKm is >= 0 and <= MaxOdometerKm, "odometerKm", $"The odometer reading is 0 to {MaxOdometerKm} km.");
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        errors.Check(request.FirstRegistered != default && request.FirstRegistered <= today, "firstRegistered", "The first registration date is required and not in the future.");
        errors.Check(request.Payment is null || Enum.IsDefined(request.Payment.Value), "payment", "How the customer pays: once or monthly.");
        errors.ThrowIfAny();
        var country = CountryRulebook.Find(request.Jurisdiction)
            ?? throw new BusinessRuleException("jurisdiction-not-served", $"Contracts are sold in {string.Join(", ", CountryRulebook.Jurisdictions)}.");

        var user = CurrentUser.FromPrincipal(http.User);
        var product = await products.GetAsync(user.TenantId, request.ProductId, cancellationToken) ?? throw new ResourceNotFoundException("Contract product", request.ProductId);
        var version = product.Value.Latest;
        var vehicle = new VehicleFacts(vin!, request.Model.Trim(), request.FirstRegistered, request.OdometerKm);
        var price = ContractPricing.Price(product.Value.Name, version, country, vehicle, today);
        var id = Guid.NewGuid().ToString("N");
        var customerId = request.CustomerId.Trim();
        var payment = PaymentTerms.For(request.Payment ?? PaymentSchedule.Once, price.Total, price.Currency, version.Terms.TermMonths);
        var quote = new ContractQuote(id, user.TenantId, customerId, product.Value.Id, product.Value.Name, version, country, vehicle, price, now, now + options.Value.Validity,
            ContractDocument.HashOf(id, customerId, product.Value.Name, version, country, vehicle, price, payment), payment);
        await quotes.CreateAsync(user.TenantId, id, quote, cancellationToken);
        return TypedResults.Created($"/api/service-contract-quotes/{id}", quote);
    }

    /// <summary>Staff read any quote of their dealership; a customer only their own (another's is a 404, as if it did not exist).</summary>
    public static async Task<Ok<ContractQuote>> GetAsync(string id, HttpContext http, ITenantRepository<ContractQuote> quotes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(quotes);
        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok((await FindAsync(quotes, user, id, cancellationToken)).Value);
    }

    internal static async Task<Versioned<ContractQuote>> FindAsync(ITenantRepository<ContractQuote> quotes, CurrentUser user, string id, CancellationToken cancellationToken)
    {
        var quote = await quotes.GetAsync(user.TenantId, id, cancellationToken);
        if (quote is null || (OnlyOwn(user) && !string.Equals(quote.Value.CustomerId, user.Subject, StringComparison.Ordinal)))
        {
            throw new ResourceNotFoundException("Contract quote", id);
        }

        return quote;
    }

    /// <summary>A customer (and no staff role besides) sees only what is theirs.</summary>
    internal static bool OnlyOwn(CurrentUser user) =>
        user.IsInRole(PlatformRoles.Customer) && !user.IsInRole(PlatformRoles.DealerStaff) && !user.IsInRole(PlatformRoles.DealerAdmin)
        && !user.IsInRole(PlatformRoles.WorkshopStaff) && !user.IsInRole(PlatformRoles.Admin);
}
