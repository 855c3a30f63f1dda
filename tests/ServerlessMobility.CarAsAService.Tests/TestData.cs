using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Orders;

namespace ServerlessMobility.CarAsAService.Tests;

/// <summary>Builders for the Car-as-a-Service documents the tests need.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public static VehicleModel Model(string tenant = "t1", string id = "aurora-s") => new(
        id, tenant, "Aurora S",
        [new CountryPrice("ES", 30000m, 0.21m, "EUR"), new CountryPrice("GB", 28000m, 0.20m, "GBP")],
        [new VehiclePack("winter", "Winter", new Dictionary<string, decimal> { ["ES"] = 1000m, ["GB"] = 800m }),
         new VehiclePack("tech", "Tech", new Dictionary<string, decimal> { ["ES"] = 1500m })]);

    public static Order Order(string tenant = "t1", string id = "o-1", string customerId = "c-1") =>
        ServerlessMobility.CarAsAService.Orders.Order.Register(id, tenant, customerId, Model(tenant), "ES", ["winter"], 0.10m, Now);

    public static Customer Customer(string tenant = "t1", string id = "c-1") => new(id, tenant, "Ana García", "ana@example.test", "ES", Now);
}
