using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Catalog;
using ServerlessMobility.Core.CarAsAService.Vehicles;
using ServerlessMobility.Core.Http;

namespace ServerlessMobility.LocalHost.Demo;

/// <summary>Car-as-a-Service demo catalog (two models, prices in three countries) and a small vehicle stock.</summary>
public sealed class CarAsAServiceDemoData(ITenantRepository<VehicleModel> models, ITenantRepository<Vehicle> vehicles) : IDemoDataSeeder
{
    public async Task SeedAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tenant = options.TenantId;
        foreach (var model in Models(tenant))
        {
            await CreateOnceAsync(models, tenant, model.Id, model, cancellationToken);
        }

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
