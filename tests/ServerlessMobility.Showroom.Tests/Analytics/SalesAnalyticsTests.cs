using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Showroom.Analytics;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.Tests.Analytics;

/// <summary>The sales manager's figures on a hand-made dealership whose every number is worked out in the comments.</summary>
public sealed class SalesAnalyticsTests
{
    private static readonly DateOnly From = new(2099, 1, 1);
    private static readonly DateOnly To = new(2099, 1, 31);
    private static readonly DateTimeOffset Now = At(2099, 2, 1, 12);

    [Fact]
    public void Funnel_CountsTheLeadsCapturedInThePeriod_ByTheStagesTheyReached()
    {
        var report = SalesAnalytics.Compute(Leads(), [], From, To, Now);

        // Three captured in January (won, lost after a test drive, untouched); one of December and one of February are not.
        Assert.Equal(3, report.Captured);
        Assert.Equal(
            [(LeadStage.New, 3, 1m), (LeadStage.Contacted, 2, 0.6667m), (LeadStage.TestDrive, 1, 0.3333m), (LeadStage.Negotiating, 1, 0.3333m), (LeadStage.Won, 1, 0.3333m)],
            report.Funnel.Select(f => (f.Stage, f.Reached, f.ShareOfCaptured)));
    }

    [Fact]
    public void Conversion_PerSourceAndForAll_AndTheFirstResponseTime()
    {
        var report = SalesAnalytics.Compute(Leads(), [], From, To, Now);

        Assert.Equal(
            [(null, 3, 1, 1, 1, 0.3333m), (LeadSource.WalkIn, 1, 1, 0, 0, 1m), (LeadSource.Web, 1, 0, 1, 0, 0m), (LeadSource.TestDrive, 1, 0, 0, 1, 0m)],
            report.Conversion.Select(c => (c.Source, c.Captured, c.Won, c.Lost, c.Open, c.ConversionRate)));

        // Answered after 2 and 4 hours; the untouched lead has no response time and does not count.
        Assert.Equal(3.0m, report.AverageHoursToFirstResponse);
    }

    [Fact]
    public void Sales_OfThePeriod_PerCurrency_EvenOfALeadCapturedBefore()
    {
        var report = SalesAnalytics.Compute(Leads(), [], From, To, Now);

        Assert.Equal([("EUR", 1, 30_000m), ("GBP", 1, 20_000m)], report.Sales.Select(s => (s.Currency, s.Sales, s.Revenue)));
    }

    [Fact]
    public void StockAge_InWholeDays_Bucketed_OldestFirst_AndTheDaysToSellOfThePeriod()
    {
        var stock = new[]
        {
            Vehicle("V1", VehicleStatus.Available, At(2099, 1, 31, 13)),   // 23 hours: 0 days
            Vehicle("V2", VehicleStatus.Demo, At(2098, 12, 1, 12)),        // 62 days
            Vehicle("V3", VehicleStatus.Reserved, At(2098, 10, 1, 0)),     // 123.5 days: 123
            Vehicle("V4", VehicleStatus.Sold, At(2099, 1, 1, 0), soldAt: At(2099, 1, 11, 0)),   // sold in January after 10 days
            Vehicle("V5", VehicleStatus.Sold, At(2098, 1, 1, 0), soldAt: At(2098, 6, 1, 0)),    // sold before the period
        };

        var age = SalesAnalytics.Compute([], stock, From, To, Now).Stock;

        Assert.Equal(3, age.InStock);
        Assert.Equal(61.7m, age.AverageAgeDays);
        Assert.Equal(123, age.OldestAgeDays);
        Assert.Equal([("0-30 days", 1), ("31-60 days", 0), ("61-90 days", 1), ("over 90 days", 1)], age.Buckets.Select(b => (b.Label, b.Vehicles)));
        Assert.Equal(["V3", "V2", "V1"], age.Vehicles.Select(v => v.Vin));
        Assert.Equal((1, 10.0m), (age.SoldInPeriod, age.AverageDaysToSell));
    }

    [Fact]
    public void NothingInThePeriod_IsZeros_NeverADivisionByZero()
    {
        var report = SalesAnalytics.Compute([], [], From, To, Now);

        Assert.Equal(0, report.Captured);
        Assert.All(report.Funnel, f => Assert.Equal(0m, f.ShareOfCaptured));
        Assert.All(report.Conversion, c => Assert.Equal(0m, c.ConversionRate));
        Assert.Null(report.AverageHoursToFirstResponse);
        Assert.Empty(report.Sales);
        Assert.Equal((0, 0m, 0, null), (report.Stock.InStock, report.Stock.AverageAgeDays, report.Stock.OldestAgeDays, report.Stock.AverageDaysToSell));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static List<Lead> Leads()
    {
        var won = NewLead("won", LeadSource.WalkIn, At(2099, 1, 2, 10));
        won.Log(new LeadActivity("a1", LeadActivityKind.Call, null, At(2099, 1, 2, 12), "sam"));
        won.MoveTo(LeadStage.Negotiating, At(2099, 1, 4, 10), "sam");
        won.Win(new LeadSale("veh-1", Money.Of(30_000m, "EUR"), At(2099, 1, 10, 10), "sam", null));

        var lost = NewLead("lost", LeadSource.Web, At(2099, 1, 3, 8));
        lost.Log(new LeadActivity("a2", LeadActivityKind.Email, null, At(2099, 1, 3, 12), "tess"));
        lost.MoveTo(LeadStage.TestDrive, At(2099, 1, 6, 10), "tess");
        lost.MoveTo(LeadStage.Lost, At(2099, 1, 8, 10), "tess", "Bought elsewhere");

        var untouched = NewLead("untouched", LeadSource.TestDrive, At(2099, 1, 5, 9));

        // Captured in December, sold in January: a sale of the period, not a lead of it.
        var december = NewLead("december", LeadSource.WalkIn, At(2098, 12, 20, 9));
        december.Log(new LeadActivity("a3", LeadActivityKind.Visit, null, At(2098, 12, 20, 10), "sam"));
        december.MoveTo(LeadStage.Negotiating, At(2098, 12, 22, 10), "sam");
        december.Win(new LeadSale("veh-2", Money.Of(20_000m, "GBP"), At(2099, 1, 15, 10), "sam", null));

        var february = NewLead("february", LeadSource.Web, At(2099, 2, 1, 0));
        return [won, lost, untouched, december, february];
    }

    private static Lead NewLead(string id, LeadSource source, DateTimeOffset createdAt) =>
        new() { Id = id, TenantId = "t-1", Source = source, ProtectedName = "protected", CreatedAt = createdAt, UpdatedAt = createdAt };

    private static InventoryVehicle Vehicle(string vin, VehicleStatus status, DateTimeOffset addedAt, DateTimeOffset? soldAt = null)
    {
        var vehicle = new InventoryVehicle
        {
            Id = vin,
            TenantId = "t-1",
            Specs = new VehicleSpecs("VW", "Golf", 2024, null, FuelType.Petrol, "Blue", 10, 25_000m, "EUR", new GeoPoint(48.1, 11.5), null),
            Status = status,
            AddedAt = addedAt,
            UpdatedAt = addedAt,
        };
        if (soldAt is { } at)
        {
            vehicle.History.Add(new VehicleStatusChange(VehicleStatus.Available, VehicleStatus.Sold, at, "sam"));
        }

        return vehicle;
    }
}
