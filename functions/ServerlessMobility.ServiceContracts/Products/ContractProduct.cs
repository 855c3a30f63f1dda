using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.ServiceContracts.Products;

/// <param name="Code">Stable within a product: claims name the item they consume.</param>
/// <param name="MaxClaims">How many claims the item pays over the term; null for no count limit.</param>
public sealed record CoverageItem(string Code, string Name, int? MaxClaims = null);

/// <summary>Which vehicles a product may be sold for; a null bound does not restrict.</summary>
/// <param name="Models">Models the product is for; empty for every model.</param>
public sealed record Eligibility(int? MaxVehicleAgeMonths, int? MaxOdometerKm, IReadOnlyList<string> Models);

/// <summary>A surcharge from a vehicle age (in months) upwards; the highest band reached applies.</summary>
public sealed record AgeBand(int FromMonths, decimal SurchargeRate);

/// <summary>A surcharge from an odometer reading (in km) upwards; the highest band reached applies.</summary>
public sealed record MileageBand(int FromKm, decimal SurchargeRate);

public sealed record ModelSurcharge(string Model, decimal SurchargeRate);

/// <summary>
/// The price of a product version in one jurisdiction, before tax, and the money limits of its claims in the same
/// currency (a contract's deductible and limits are in the currency it was paid in).
/// </summary>
public sealed record PriceRule(
    string Jurisdiction,
    string Currency,
    decimal NetPrice,
    decimal Deductible,
    decimal LimitPerClaim,
    decimal TotalLimit,
    IReadOnlyList<AgeBand> AgeBands,
    IReadOnlyList<MileageBand> MileageBands,
    IReadOnlyList<ModelSurcharge> ModelSurcharges);

/// <summary>What a customer buys: the coverage, the term (months, and optionally a distance that ends it earlier), who may buy it, and its prices.</summary>
public sealed record ContractTerms(
    IReadOnlyList<CoverageItem> Coverage,
    int TermMonths,
    int? TermKilometres,
    Eligibility Eligibility,
    IReadOnlyList<PriceRule> Prices)
{
    public PriceRule? PriceIn(string jurisdiction) =>
        Prices.FirstOrDefault(p => string.Equals(p.Jurisdiction, jurisdiction, StringComparison.Ordinal));

    public CoverageItem? Item(string code) => Coverage.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal));
}

public sealed record ContractProductVersion(int Version, DateTimeOffset PublishedAt, ContractTerms Terms);

/// <summary>
/// A contract product of a dealership, with every version it ever had. Versions are never edited: a change is a
/// new version, so a contract sold under version 2 keeps version 2's terms after version 3 is published.
/// </summary>
public sealed record ContractProduct(string Id, string TenantId, string Name, IReadOnlyList<ContractProductVersion> Versions)
{
    public ContractProductVersion Latest => Versions[^1];

    public static ContractProduct Create(string id, string tenantId, string name, ContractTerms terms, DateTimeOffset now) =>
        new(id, tenantId, name, [new ContractProductVersion(1, now, ContractTermsRules.Checked(terms))]);

    public ContractProduct Publish(ContractTerms terms, DateTimeOffset now) =>
        this with { Versions = [.. Versions, new ContractProductVersion(Latest.Version + 1, now, ContractTermsRules.Checked(terms))] };

    public ContractProductVersion Version(int version) =>
        Versions.FirstOrDefault(v => v.Version == version) ?? throw new ResourceNotFoundException("Contract product version", $"{Id}/{version}");
}

/// <summary>The cross-field rules of terms that the request's field limits cannot say.</summary>
public static class ContractTermsRules
{
    public static ContractTerms Checked(ContractTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var errors = new Dictionary<string, string[]>();
        if (terms.Coverage.Count == 0)
        {
            errors["coverage"] = ["At least one coverage item is required."];
        }
        else if (terms.Coverage.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count() != terms.Coverage.Count)
        {
            errors["coverage"] = ["Coverage item codes are unique within a product."];
        }

        if (terms.Prices.Count == 0)
        {
            errors["prices"] = ["At least one price rule is required."];
        }

        foreach (var (price, index) in terms.Prices.Select((p, i) => (p, i)))
        {
            var field = $"prices[{index}]";
            if (Jurisdictions.CountryRulebook.Find(price.Jurisdiction) is not { } rule)
            {
                errors[$"{field}.jurisdiction"] = [$"Contracts are sold in {string.Join(", ", Jurisdictions.CountryRulebook.Jurisdictions)}."];
            }
            else if (!string.Equals(rule.Currency, price.Currency, StringComparison.Ordinal))
            {
                errors[$"{field}.currency"] = [$"Contracts in {rule.Jurisdiction} are sold in {rule.Currency}."];
            }
            else if (new[] { price.NetPrice, price.Deductible, price.LimitPerClaim, price.TotalLimit }.Any(a => !Platform.Currencies.Currency.HasValidPrecision(a, price.Currency)))
            {
                errors[$"{field}"] = [$"Amounts in {price.Currency} have at most {Platform.Currencies.Currency.MinorUnits(price.Currency)} decimals."];
            }

            if (price.LimitPerClaim > price.TotalLimit)
            {
                errors[$"{field}.limitPerClaim"] = ["The limit per claim is at most the total limit."];
            }
        }

        if (terms.Prices.Select(p => p.Jurisdiction).Distinct(StringComparer.Ordinal).Count() != terms.Prices.Count)
        {
            errors["prices"] = ["One price rule per jurisdiction."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        return terms with { Prices = [.. terms.Prices.Select(p => p with { Jurisdiction = p.Jurisdiction.Trim().ToUpperInvariant() })] };
    }
}
