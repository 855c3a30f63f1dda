using ServerlessMobility.RentToOwn.Listings;
using ServerlessMobility.RentToOwn.Storage;

namespace ServerlessMobility.LocalHost.Demo;

/// <summary>A few rent-to-own listings for the demo tenant; fixed ids and upserts make re-seeding harmless.</summary>
public sealed class RentToOwnDemoData(IListingStore listings) : IDemoDataSeeder
{
    public async Task SeedAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Listing Make(string id, VehicleType type, string make, string model, int year, decimal price, decimal weekly, string location) => new()
        {
            Id = id,
            TenantId = options.TenantId,
            Type = type,
            Make = make,
            Model = model,
            Year = year,
            Currency = "KES",
            Price = price,
            WeeklyInstalment = weekly,
            Location = location,
        };

        Listing[] demo =
        [
            Make("rto-demo-boda-1", VehicleType.Motorcycle, "TVS", "HLX 125", 2025, 145_000m, 3_350m, "Nairobi"),
            Make("rto-demo-boda-2", VehicleType.Motorcycle, "Bajaj", "Boxer 150", 2025, 160_000m, 3_700m, "Kisumu"),
            Make("rto-demo-car-1", VehicleType.Car, "Toyota", "Vitz", 2019, 950_000m, 9_500m, "Nairobi"),
            Make("rto-demo-van-1", VehicleType.Van, "Nissan", "NV200", 2020, 1_800_000m, 16_000m, "Mombasa"),
            Make("rto-demo-truck-1", VehicleType.Truck, "Isuzu", "NKR", 2018, 3_200_000m, 27_500m, "Nakuru"),
        ];
        foreach (var listing in demo)
        {
            if (listings is CosmosListingStore cosmos)
            {
                await cosmos.UpsertAsync(listing, cancellationToken);
            }
            else if (await listings.GetAsync(listing.TenantId, listing.Id, cancellationToken) is null)
            {
                await listings.CreateAsync(listing, cancellationToken);
            }
        }
    }
}
