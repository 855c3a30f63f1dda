using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Products;

namespace ServerlessMobility.ServiceContracts.Quotes;

/// <summary>
/// A priced offer to one customer, valid until <see cref="ExpiresAt"/>. It carries everything the contract will say
/// (the product version's terms, the country's rule, the price), and <see cref="DocumentHash"/> is the SHA-256 of
/// that contract document: the customer accepts exactly this hash, so what was accepted can be proved later.
/// </summary>
/// <param name="CustomerId">The customer's identity (the subject of their token): only they can accept.</param>
public sealed record ContractQuote(
    string Id,
    string TenantId,
    string CustomerId,
    string ProductId,
    string ProductName,
    ContractProductVersion ProductVersion,
    CountryRule Country,
    VehicleFacts Vehicle,
    PriceExplanation Price,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string DocumentHash,
    PaymentTerms Payment,
    string? ContractId = null)
{
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}

/// <summary>The contract document as data, in the country's language, and its hash.</summary>
public static class ContractDocument
{
    private static readonly JsonSerializerOptions Canonical = ContractJson.Options;

    /// <summary>What the customer reads and accepts: the terms, the law, the price, the vehicle and the customer, nothing mutable.</summary>
    public static string HashOf(string quoteId, string customerId, string productName, ContractProductVersion version, CountryRule country, VehicleFacts vehicle, PriceExplanation price,
        PaymentTerms payment)
    {
        var document = new
        {
            quoteId,
            customerId,
            language = country.DocumentLanguage,
            product = productName,
            version = version.Version,
            terms = version.Terms with { Prices = [.. version.Terms.Prices.Where(p => string.Equals(p.Jurisdiction, country.Jurisdiction, StringComparison.Ordinal))] },
            law = country,
            vehicle,
            price,
            payment,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document, Canonical))));
    }
}
