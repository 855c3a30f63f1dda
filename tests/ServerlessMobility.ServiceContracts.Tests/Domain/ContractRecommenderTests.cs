using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Recommendations;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class ContractRecommenderTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(ContractBuilder.SoldAt.UtcDateTime);

    private static ContractProduct Product(string id, string name, int? termKm, params (string Code, string Name)[] coverage) =>
        ContractProduct.Create(id, "tenant-1", name, ContractBuilder.Terms(termKm: termKm) with { Coverage = [.. coverage.Select(c => new CoverageItem(c.Code, c.Name))] }, ContractBuilder.SoldAt);

    private static readonly ContractProduct Drivetrain = Product("drive", "Drivetrain", 40_000, ("engine", "Engine"), ("gearbox", "Gearbox"));
    private static readonly ContractProduct Unlimited = Product("wear", "Wear Unlimited", null, ("brakes", "Brakes"), ("tyres", "Tyres"), ("wipers", "Wipers"));

    [Fact]
    public void Recommend_HighMileageWithPowertrainFaults_DrivetrainFirstForTheFaults_LimitExplained()
    {
        // 24 months, 72,000 km: 3,000 km a month; two misfire codes this year.
        var vehicle = new VehicleProfile(ContractBuilder.Vehicle(ageMonths: 24, odometerKm: 72_000), OdometerFromTelemetry: true,
            [new FaultCode(ContractBuilder.SoldAt.AddDays(-40), "P0301", "Diagnostic trouble code P0301."), new FaultCode(ContractBuilder.SoldAt.AddDays(-9), "P0302", "Diagnostic trouble code P0302.")]);

        var ranked = ContractRecommender.Recommend([Unlimited, Drivetrain], vehicle, CountryRulebook.Find("DE")!, Today);

        Assert.Equal(["drive", "wear"], ranked.Select(r => r.ProductId));
        var drivetrain = ranked[0];
        Assert.Equal(2, drivetrain.Score); // -2 for the distance limit, +4 for two powertrain codes covered
        Assert.Contains("Drives about 3000 km a month (by its telemetry): the 40000 km limit ends the cover after about 13 of 24 months.", drivetrain.Reasons);
        Assert.Contains("Reported powertrain fault codes in the last 12 months (P0301, P0302): covers Engine, Gearbox.", drivetrain.Reasons);
        Assert.Contains("but covers no engine or gearbox", ranked[1].Reasons[1], StringComparison.Ordinal);
        Assert.Equal(1, ranked[1].Score); // +2 no distance limit at high mileage, -1 no powertrain cover
    }

    [Fact]
    public void Recommend_IneligibleVehicle_ListedLastWithTheReason()
    {
        var vehicle = new VehicleProfile(ContractBuilder.Vehicle(ageMonths: 120, odometerKm: 90_000), OdometerFromTelemetry: false, []);

        var ranked = ContractRecommender.Recommend([Drivetrain], vehicle, CountryRulebook.Find("GB")!, Today);

        Assert.False(ranked[0].Suitable);
        Assert.Null(ranked[0].Price);
        Assert.Equal("The vehicle is 120 months old; this product is for vehicles up to 96 months.", Assert.Single(ranked[0].Reasons));
    }
}
