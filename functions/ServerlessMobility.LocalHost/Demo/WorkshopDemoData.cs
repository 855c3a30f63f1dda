using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Parts;

namespace ServerlessMobility.LocalHost.Demo;

/// <summary>
/// A workshop for the demo tenant: two bays, two technicians on weekday shifts and a few parts, one of them at its
/// reorder level. Only what is missing is created, so a restart keeps the counts and bookings the demo made.
/// </summary>
public sealed class WorkshopDemoData(ITenantRepository<Bay> bays, ITenantRepository<Technician> technicians, ITenantRepository<PartStock> stock) : IDemoDataSeeder
{
    public async Task SeedAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tenant = options.TenantId;
        Shift[] weekdays = [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(day => new Shift(day, new TimeOnly(7, 0), new TimeOnly(17, 0)))];

        await CreateIfMissingAsync(bays, tenant, "bay-1", new Bay("bay-1", tenant, "Bay 1 (lift)", "main"), cancellationToken);
        await CreateIfMissingAsync(bays, tenant, "bay-2", new Bay("bay-2", tenant, "Bay 2 (EV)", "main"), cancellationToken);
        await CreateIfMissingAsync(technicians, tenant, "tech-ada", new Technician("tech-ada", tenant, "Ada", ["service", "brakes", "diagnostics"], weekdays), cancellationToken);
        await CreateIfMissingAsync(technicians, tenant, "tech-ben", new Technician("tech-ben", tenant, "Ben", ["service", "ev-battery"], weekdays), cancellationToken);
        foreach (var (sku, description, price, onHand, reorderLevel) in new[]
        {
            ("PAD-1", "Brake pads (front axle)", 45.50m, 8, 2),
            ("OIL-5W30", "Engine oil 5W-30, 1 l", 11.90m, 40, 10),
            ("FLT-OIL", "Oil filter", 9.80m, 3, 4),
        })
        {
            var id = PartStock.IdFor("main", sku);
            await CreateIfMissingAsync(stock, tenant, id, new PartStock
            {
                Id = id, TenantId = tenant, Sku = sku, Location = "main", Description = description, UnitPrice = price, Currency = "EUR",
                OnHand = onHand, ReorderLevel = reorderLevel,
            }, cancellationToken);
        }
    }

    private static async Task CreateIfMissingAsync<T>(ITenantRepository<T> repository, string tenant, string id, T item, CancellationToken cancellationToken)
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
            // Another start seeded it at the same moment.
        }
    }
}
