using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Parts;

namespace ServerlessMobility.Workshop.Tests.Domain;

public class PartStockTests
{
    private static PartStock Pads(int onHand, int reorderLevel = 2) => new()
    {
        Id = PartStock.IdFor("main", "PAD-1"), TenantId = "t1", Sku = "PAD-1", Location = "main", Description = "Brake pads", UnitPrice = 45.5m, Currency = "EUR",
        OnHand = onHand, ReorderLevel = reorderLevel,
    };

    [Fact]
    public void Reserve_MoreThanAvailable_ConflictAndNothingHeld()
    {
        var stock = Pads(3);
        stock.Reserve("job-a", 2, WorkshopFixtures.Monday);

        Assert.Throws<ConflictException>(() => stock.Reserve("job-b", 2, WorkshopFixtures.Monday));

        Assert.Equal(1, stock.Available);
        Assert.Equal(["job-a"], stock.Reservations.Select(r => r.JobId));
    }

    [Fact]
    public void Reserve_SameJobAgain_SetsItsQuantityInsteadOfAdding()
    {
        var stock = Pads(3);
        stock.Reserve("job-a", 2, WorkshopFixtures.Monday);
        stock.Reserve("job-a", 3, WorkshopFixtures.Monday);

        Assert.Equal(0, stock.Available);
        Assert.Single(stock.Reservations);
    }

    [Fact]
    public void Consume_TakesTheReservationOutOfStockOnce()
    {
        var stock = Pads(5);
        stock.Reserve("job-a", 2, WorkshopFixtures.Monday);

        Assert.Equal(2, stock.Consume("job-a"));
        Assert.Equal(0, stock.Consume("job-a"));

        Assert.Equal(3, stock.OnHand);
        Assert.Equal(3, stock.Available);
    }

    [Fact]
    public void Count_BelowReserved_RuleBroken()
    {
        var stock = Pads(5);
        stock.Reserve("job-a", 4, WorkshopFixtures.Monday);

        Assert.Throws<BusinessRuleException>(() => stock.Count(3));
        Assert.Equal(5, stock.OnHand);
    }

    [Fact]
    public void ReorderSuggestion_AtTheLevel_OrdersUpToTwiceTheLevel()
    {
        var stock = Pads(5, reorderLevel: 2);
        Assert.Null(stock.ReorderSuggestion());

        stock.Reserve("job-a", 3, WorkshopFixtures.Monday);

        Assert.Equal(new PurchaseOrderSuggestion("PAD-1", "main", 2), stock.ReorderSuggestion());
    }
}
