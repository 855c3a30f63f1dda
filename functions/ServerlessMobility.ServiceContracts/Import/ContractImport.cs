using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Quotes;
using ServerlessMobility.ServiceContracts.Sales;
using CurrencyRules = ServerlessMobility.Platform.Currencies.Currency;

namespace ServerlessMobility.ServiceContracts.Import;

/// <summary>What became of one record: imported, skipped as already imported, or rejected with the reason per field.</summary>
public sealed record ImportRowResult(int Row, string? ExternalId, string Status, string? ContractId, IReadOnlyDictionary<string, string[]> Errors);

public sealed record ContractImportReport(int Imported, int SkippedDuplicates, int Rejected, IReadOnlyList<ImportRowResult> Rows);

/// <summary>A record that passed every field check, with the contract it becomes.</summary>
public sealed record ValidImportRow(string ExternalId, ServiceContract Contract);

/// <summary>
/// The rules of a legacy record (a contract sold elsewhere): every field checked, and the contract built from it as the
/// sale would have built it, under the product version in force at its start and the country's rule. Pure.
/// </summary>
public static class ContractImports
{
    public const string Imported = "imported";
    public const string SkippedDuplicate = "skipped-duplicate";
    public const string Rejected = "rejected";

    public const string ImportedPriceLabel = "imported price";

    /// <summary>The field names of a record, in every format.</summary>
    public static readonly string[] Fields = ["externalId", "customerId", "jurisdiction", "productId", "vin", "model", "firstRegistered", "odometerKm", "startsAt", "priceTotal", "currency"];

    /// <summary>One contract per tenant and external id, so importing the same file twice finds the contracts of the first time.</summary>
    public static string ContractIdFor(string tenantId, string externalId) =>
        "sc-import-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{externalId}")))[..32];

    /// <summary>The reference of the payment collected elsewhere, as the imported instalment records it.</summary>
    public static string PaymentReference(string externalId) => "import:" + externalId;

    /// <summary>
    /// Checks a record and builds its contract, or returns the errors by field. <paramref name="products"/> holds the
    /// tenant's products the file names (a missing one is not in the dictionary).
    /// </summary>
    public static (ValidImportRow? Valid, Dictionary<string, string[]> Errors) Check(ImportRow row, string tenantId, IReadOnlyDictionary<string, ContractProduct> products, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(products);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check(bool valid, string field, string message)
        {
            if (!valid)
            {
                errors.TryAdd(field, [message]);
            }
        }

        var externalId = row["externalId"];
        Check(InputFormats.IsClientId(externalId, ContractQuotesEndpoints.MaxIdLength), "externalId", $"The contract's id in the system it was sold in: letters, digits, '-' or '_', at most {ContractQuotesEndpoints.MaxIdLength}.");
        var customerId = row["customerId"];
        Check(InputFormats.IsText(customerId, ContractQuotesEndpoints.MaxIdLength), "customerId", $"The customer's id is required (at most {ContractQuotesEndpoints.MaxIdLength} characters).");
        var jurisdiction = row["jurisdiction"]?.ToUpperInvariant();
        var country = InputFormats.Matches(jurisdiction, CountryRulebook.JurisdictionPattern) ? CountryRulebook.Find(jurisdiction) : null;
        Check(country is not null, "jurisdiction", $"Contracts are sold in {string.Join(", ", CountryRulebook.Jurisdictions)}.");
        var productId = row["productId"];
        var product = InputFormats.IsClientId(productId, ContractQuotesEndpoints.MaxIdLength) && products.TryGetValue(productId!, out var found) ? found : null;
        Check(product is not null, "productId", "No such contract product in this dealership.");
        var vin = row["vin"]?.ToUpperInvariant();
        Check(InputFormats.Matches(vin, VinFormat.Pattern), "vin", VinFormat.Description);
        var model = row["model"];
        Check(InputFormats.IsText(model, ContractProductsEndpoints.MaxNameLength), "model", "The vehicle's model is required.");
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var startsAt = ParseDate(row["startsAt"]);
        Check(startsAt is { } startDay && startDay <= today, "startsAt", "The day the contract started, YYYY-MM-DD, not in the future.");
        var firstRegistered = ParseDate(row["firstRegistered"]);
        Check(firstRegistered is { } registered && registered <= (startsAt ?? today), "firstRegistered", "The first registration date, YYYY-MM-DD, not after the contract's start.");
        var odometer = int.TryParse(row["odometerKm"], NumberStyles.None, CultureInfo.InvariantCulture, out var km) && km <= ContractQuotesEndpoints.MaxOdometerKm ? km : (int?)null;
        Check(odometer is not null, "odometerKm", $"The odometer reading at the start, 0 to {ContractQuotesEndpoints.MaxOdometerKm} km.");
        var currency = row["currency"]?.ToUpperInvariant();
        var version = product is null ? null : VersionAt(product, startsAt ?? today);
        var rule = country is not null ? version?.Terms.PriceIn(country.Jurisdiction) : null;
        Check(CurrencyRules.IsValidCode(currency), "currency", "An ISO 4217 currency code.");
        if (product is not null && country is not null && rule is null)
        {
            errors.TryAdd("jurisdiction", [$"'{product.Name}' is not sold in {country.Jurisdiction}."]);
        }

        Check(rule is null || !CurrencyRules.IsValidCode(currency) || string.Equals(rule.Currency, currency, StringComparison.Ordinal), "currency",
            $"Contracts in {country?.Jurisdiction} are priced in {rule?.Currency}.");
        var total = decimal.TryParse(row["priceTotal"], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0 && amount <= MaxPrice ? amount : (decimal?)null;
        Check(total is { } t && (!CurrencyRules.IsValidCode(currency) || CurrencyRules.HasValidPrecision(t, currency!)), "priceTotal",
            $"The price the customer paid, tax included: a positive amount up to {MaxPrice} in the currency's minor unit.");
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var start = new DateTimeOffset(startsAt!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var vehicle = new VehicleFacts(vin!, model!, firstRegistered!.Value, odometer!.Value);
        var price = ImportedPrice(country!, currency!, total!.Value);
        var payment = new PaymentTerms(PaymentSchedule.Once, [price.Total]);
        var quoteId = PaymentReference(externalId!);

        // Collected elsewhere at the start: one instalment, paid, its reference naming the record it came from.
        var instalment = new ContractInstalment(1, start, price.Total, [new PaymentAttempt(1, start, true, PaymentReference(externalId!), null)]);
        var contract = new ServiceContract(
            ContractIdFor(tenantId, externalId!), tenantId, quoteId, customerId!, product!.Id, product.Name, version!, country!, vehicle, price,
            new Acceptance($"Imported record {externalId}", start, "import", ContractDocument.HashOf(quoteId, customerId!, product.Name, version!, country!, vehicle, price, payment)),
            start, start.AddMonths(version!.Terms.TermMonths), ContractStatus.Active, [], null, [], Payment: payment, Instalments: [instalment]);
        return (new ValidImportRow(externalId!, contract), errors);
    }

    /// <summary>The largest price a record may state: above any service contract, below what a decimal in Cosmos DB (a double) keeps exactly.</summary>
    public const decimal MaxPrice = 100_000_000m;

    /// <summary>
    /// The price as the legacy record states it, explained honestly: one line, the imported total; net and tax are
    /// derived from it at the country's rate (the record does not say how it was reached).
    /// </summary>
    public static PriceExplanation ImportedPrice(CountryRule country, string currency, decimal total)
    {
        ArgumentNullException.ThrowIfNull(country);
        var net = CurrencyRules.Round(total / (1 + country.TaxRate), currency);
        return new PriceExplanation(country.Jurisdiction, currency, [new PriceLine(ImportedPriceLabel, net)], net, country.TaxName, country.TaxRate, total - net, total,
            country.Display, country.Display == TaxDisplay.Inclusive ? total : net,
            "Imported from a contract sold outside this platform: the total is the recorded one; net and tax are derived from it at the country's rate.");
    }

    /// <summary>The product version a contract starting on <paramref name="start"/> was sold under: the last published by the end of that day, or the first.</summary>
    private static ContractProductVersion VersionAt(ContractProduct product, DateOnly start) =>
        product.Versions.LastOrDefault(v => DateOnly.FromDateTime(v.PublishedAt.UtcDateTime) <= start) ?? product.Versions[0];

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
