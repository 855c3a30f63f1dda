using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

/// <summary>Test data: one product with prices in every jurisdiction, and contracts sold under it on a fixed date.</summary>
internal static class ContractBuilder
{
    public static readonly DateTimeOffset SoldAt = new(2030, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static ContractTerms Terms(int termMonths = 24, int? termKm = 40_000) => new(
        [new CoverageItem("engine", "Engine", MaxClaims: 1), new CoverageItem("gearbox", "Gearbox")],
        termMonths,
        termKm,
        new Eligibility(MaxVehicleAgeMonths: 96, MaxOdometerKm: 150_000, Models: []),
        [
            Price("DE", "EUR", 500m),
            Price("ES", "EUR", 500m),
            Price("FR", "EUR", 500m),
            Price("GB", "GBP", 400m),
            Price("KE", "KES", 20_000m),
            Price("IN", "INR", 4_999.99m),
            Price("US-CA", "USD", 600m),
        ]);

    public static PriceRule Price(string jurisdiction, string currency, decimal net) =>
        new(jurisdiction, currency, net, Deductible: 50m, LimitPerClaim: 1_000m, TotalLimit: 1_500m,
            [new AgeBand(60, 0.10m)], [new MileageBand(100_000, 0.20m)], [new ModelSurcharge("Roadster", 0.05m)]);

    public static ContractProduct Product(DateTimeOffset at) => ContractProduct.Create("prod-1", "tenant-1", "Drivetrain Plus", Terms(), at);

    public static VehicleFacts Vehicle(int ageMonths = 24, int odometerKm = 30_000, string model = "Hatchback") =>
        new("WSMV0PENAP1000017", model, DateOnly.FromDateTime(SoldAt.UtcDateTime).AddMonths(-ageMonths), odometerKm);

    public static ServiceContract Sold(string jurisdiction, DateTimeOffset? soldAt = null, VehicleFacts? vehicle = null)
    {
        var at = soldAt ?? SoldAt;
        var product = Product(at);
        var country = CountryRulebook.Find(jurisdiction)!;
        var facts = vehicle ?? Vehicle();
        var price = ContractPricing.Price(product.Name, product.Latest, country, facts, DateOnly.FromDateTime(at.UtcDateTime));
        return new ServiceContract("sc-1", "tenant-1", "q-1", "cust-1", product.Id, product.Name, product.Latest, country, facts, price,
            new Acceptance("Ada Customer", at, "127.0.0.1", new string('a', 64)), at, at.AddMonths(product.Latest.Terms.TermMonths),
            ContractStatus.Active, [], null, []);
    }
}
