using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Vehicles;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.LocalHost.Demo;

/// <summary>
/// Car-as-a-Service demo catalog (two models, prices in three countries), their over-the-air features,
/// a small vehicle stock, and the demo customer (who owns the first demo vehicle, in Germany).
/// </summary>
public sealed class CarAsAServiceDemoData(ITenantRepository<VehicleModel> models, ITenantRepository<Vehicle> vehicles,
    ITenantRepository<FeatureDefinition> features, ITenantRepository<Customer> customers) : IDemoDataSeeder
{
    public async Task SeedAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tenant = options.TenantId;
        foreach (var model in Models(tenant))
        {
            await CreateOnceAsync(models, tenant, model.Id, model, cancellationToken);
        }

        foreach (var feature in Features(tenant))
        {
            await CreateOnceAsync(features, tenant, feature.Id, feature, cancellationToken);
        }

        await CreateOnceAsync(customers, tenant, "demo-customer",
            new Customer("demo-customer", tenant, "Demo Customer", "demo.customer@example.test", "DE", DateTimeOffset.UnixEpoch), cancellationToken);

        for (var i = 1; i <= 5; i++)
        {
            var vin = $"SMVDEMO{tenant.Length:00}STOCK{i:00}";
            await CreateOnceAsync(vehicles, tenant, vin, new Vehicle { Vin = vin, TenantId = tenant, ModelId = i % 2 == 0 ? "aurora-s" : "terra-x", Status = StockStatus.Unassigned }, cancellationToken);
        }
    }

    public static IReadOnlyList<VehicleModel> Models(string tenant) =>
    [
        new("aurora-s", tenant, "Aurora S (compact EV)",
            [new("ES", 31000m, 0.21m, "EUR"), new("DE", 32500m, 0.19m, "EUR"), new("GB", 28000m, 0.20m, "GBP")],
            [new VehiclePack("winter", "Winter pack", new Dictionary<string, decimal> { ["ES"] = 900m, ["DE"] = 950m, ["GB"] = 800m }),
             new VehiclePack("tech", "Tech pack", new Dictionary<string, decimal> { ["ES"] = 1500m, ["DE"] = 1600m, ["GB"] = 1300m })]),
        new("terra-x", tenant, "Terra X (family SUV)",
            [new("ES", 45000m, 0.21m, "EUR"), new("DE", 47000m, 0.19m, "EUR"), new("GB", 41000m, 0.20m, "GBP")],
            [new VehiclePack("tow", "Tow pack", new Dictionary<string, decimal> { ["ES"] = 700m, ["DE"] = 750m, ["GB"] = 650m })]),
    ];

    private static readonly string[] FeatureModels = ["aurora-s", "terra-x"];

    /// <summary>Features the demo models' firmware carries, priced per month in each country the model is sold in.</summary>
    public static IReadOnlyList<FeatureDefinition> Features(string tenant) =>
    [
        .. FeatureModels.SelectMany(model => new[]
        {
            Feature(tenant, model, "extra-range", "Extra range (+40 km)", "2.4", 19.00m, false, ("battery.reserve_unlock", "true")),
            Feature(tenant, model, "heated-seats", "Heated seats", "2.0", 9.00m, false, ("cabin.seat_heating", "enabled")),
            Feature(tenant, model, "adaptive-cruise", "Adaptive cruise control", "2.6", 25.00m, false, ("adas.acc", "enabled")),
            Feature(tenant, model, "performance", "Performance mode", "3.0", 39.00m, true, ("drive.power_limit_kw", "250")),
        }),
    ];

    private static FeatureDefinition Feature(string tenant, string model, string code, string name, string firmware, decimal netMonthlyEur, bool gated, (string Key, string Value) setting) => new()
    {
        TenantId = tenant,
        ModelId = model,
        Code = code,
        Name = name,
        MinimumFirmware = firmware,
        Prices = [new FeaturePrice("ES", netMonthlyEur, 0.21m, "EUR"), new FeaturePrice("DE", netMonthlyEur, 0.19m, "EUR"), new FeaturePrice("GB", Math.Round(netMonthlyEur * 0.86m, 2), 0.20m, "GBP")],
        AllowedDurations = [FeatureDuration.OneMonth, FeatureDuration.TwelveMonths, FeatureDuration.OpenEndedMonthly],
        RequiresMaintenanceUpToDate = gated,
        Configuration = new Dictionary<string, string> { [setting.Key] = setting.Value },
    };

    private static async Task CreateOnceAsync<T>(ITenantRepository<T> repository, string tenant, string id, T item, CancellationToken cancellationToken)
        where T : class
    {
        if (await repository.GetAsync(tenant, id, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await repository.CreateAsync(tenant, id, item, cancellationToken);
        }
        catch (ConflictException)
        {
            // Another start seeded it in between.
        }
    }
}
