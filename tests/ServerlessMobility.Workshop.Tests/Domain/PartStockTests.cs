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

    [Fact]
    public void TryReserve_Short_AnswersNullAndHoldsNothing()
    {
        var stock = Pads(3);
        stock.Reserve("job-a", 2, WorkshopFixtures.Monday);

        Assert.Null(stock.TryReserve("job-b", 2, WorkshopFixtures.Monday));

        Assert.Equal((1, 0, 1), (stock.Available, stock.HeldBy("job-b"), stock.AvailableFor("job-b")));
        Assert.Equal(["job-a"], stock.Reservations.Select(r => r.JobId));
    }

    [Fact]
    public void TryReserve_AskedAgain_TheFirstReservationAndItsTimeStand()
    {
        var stock = Pads(3);
        var first = stock.TryReserve("job-a", 2, WorkshopFixtures.Monday);

        var again = stock.TryReserve("job-a", 2, WorkshopFixtures.Monday.AddHours(1));

        Assert.Equal(first, again);
        Assert.Equal(WorkshopFixtures.Monday, Assert.Single(stock.Reservations).ReservedAt);
    }

    [Fact]
    public void ReorderSuggestion_WithWaitingDemand_OrdersWhatTheJobsNeedAndRefillsTheLevel()
    {
        // 1 available, level 2, a blocked job needs 4: after it 3 short, so 3 + twice the level.
        var stock = Pads(1, reorderLevel: 2);

        Assert.Equal(new PurchaseOrderSuggestion("PAD-1", "main", 7), stock.ReorderSuggestion(waitingDemand: 4));
        Assert.Equal(new PurchaseOrderSuggestion("PAD-1", "main", 3), stock.ReorderSuggestion());
    }

    [Fact]
    public void ReorderSuggestionForUnstocked_OrdersWhatIsWaitedFor()
    {
        Assert.Equal(new PurchaseOrderSuggestion("DSC-1", "main", 2), PartStock.ReorderSuggestionForUnstocked("DSC-1", "main", 2));
        Assert.Null(PartStock.ReorderSuggestionForUnstocked("DSC-1", "main", 0));
    }
}
