using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.Analytics;

/// <param name="Reached">Leads of the period that reached this stage at some point (a lead that skipped the test drive has not reached it).</param>
/// <param name="ShareOfCaptured">Reached / captured, 0 to 1, four decimals; 0 when nothing was captured.</param>
public sealed record FunnelStage(LeadStage Stage, int Reached, decimal ShareOfCaptured);

/// <param name="Source">Null in the row of all sources together.</param>
/// <param name="ConversionRate">Won / captured, four decimals; 0 when nothing was captured.</param>
public sealed record SourceConversion(LeadSource? Source, int Captured, int Won, int Lost, int Open, decimal ConversionRate);

/// <summary>Sales closed in the period in one currency (amounts in different currencies are never added up).</summary>
public sealed record SalesInCurrency(string Currency, int Sales, decimal Revenue);

/// <param name="FromDays">Inclusive.</param>
/// <param name="ToDays">Inclusive; null for the open-ended last bucket.</param>
public sealed record StockAgeBucket(string Label, int FromDays, int? ToDays, int Vehicles);

/// <summary>A vehicle in stock today (not sold) and how long it has been there.</summary>
public sealed record StockedVehicle(string Vin, string Make, string Model, int Year, VehicleStatus Status, decimal Price, string Currency, DateTimeOffset AddedAt, int AgeDays);

/// <param name="AverageAgeDays">Over the vehicles in stock, one decimal; 0 with none.</param>
/// <param name="AverageDaysToSell">Over the vehicles sold in the period (added to sold), one decimal; null with none.</param>
public sealed record StockAge(int InStock, decimal AverageAgeDays, int OldestAgeDays, IReadOnlyList<StockAgeBucket> Buckets, int SoldInPeriod, decimal? AverageDaysToSell,
    IReadOnlyList<StockedVehicle> Vehicles);

/// <param name="From">First day, inclusive (UTC).</param>
/// <param name="To">Last day, inclusive (UTC).</param>
/// <param name="AverageHoursToFirstResponse">Over the period's leads that were reached, one decimal; null with none.</param>
public sealed record SalesAnalyticsReport(DateOnly From, DateOnly To, DateTimeOffset ComputedAt, int Captured, IReadOnlyList<FunnelStage> Funnel, IReadOnlyList<SourceConversion> Conversion,
    decimal? AverageHoursToFirstResponse, IReadOnlyList<SalesInCurrency> Sales, StockAge Stock);

/// <summary>
/// The sales manager's figures for a period: the funnel of the leads captured in it, their conversion per source, the
/// sales closed in it, and the age of the stock as it stands. Pure: the caller reads the dealership's leads and stock.
/// </summary>
public static class SalesAnalytics
{
    public const int MaxDays = 366;

    private static readonly LeadStage[] FunnelOrder = [LeadStage.New, LeadStage.Contacted, LeadStage.TestDrive, LeadStage.Negotiating, LeadStage.Won];

    private static readonly (string Label, int From, int? To)[] AgeBuckets = [("0-30 days", 0, 30), ("31-60 days", 31, 60), ("61-90 days", 61, 90), ("over 90 days", 91, null)];

    public static SalesAnalyticsReport Compute(IEnumerable<Lead> leads, IEnumerable<InventoryVehicle> stock, DateOnly from, DateOnly to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(stock);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        bool InPeriod(DateTimeOffset at) => at >= start && at < end;

        var allLeads = leads.ToList();
        var captured = allLeads.Where(l => InPeriod(l.CreatedAt)).ToList();
        var funnel = FunnelOrder.Select(stage =>
        {
            var reached = captured.Count(l => Reached(l, stage));
            return new FunnelStage(stage, reached, Share(reached, captured.Count));
        }).ToList();

        var conversion = new List<SourceConversion> { Conversion(null, captured) };
        conversion.AddRange(Enum.GetValues<LeadSource>().Select(source => Conversion(source, captured.Where(l => l.Source == source).ToList())));

        var responses = captured.Where(l => l.FirstResponseAt is not null).Select(l => (l.FirstResponseAt!.Value - l.CreatedAt).TotalHours).ToList();
        var sales = allLeads.Where(l => l.Sale is { } sale && InPeriod(sale.SoldAt))
            .GroupBy(l => l.Sale!.Price.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SalesInCurrency(g.Key, g.Count(), g.Sum(l => l.Sale!.Price.Amount)))
            .ToList();

        return new SalesAnalyticsReport(from, to, now, captured.Count, funnel, conversion, responses.Count == 0 ? null : Round1(responses.Average()), sales,
            Stock(stock.ToList(), now, InPeriod));
    }

    /// <summary>Whole days between the vehicle's arrival and <paramref name="at"/> (a car added this morning is 0 days old).</summary>
    public static int AgeDays(DateTimeOffset addedAt, DateTimeOffset at) => Math.Max(0, (int)Math.Floor((at - addedAt).TotalDays));

    private static bool Reached(Lead lead, LeadStage stage) => stage switch
    {
        LeadStage.New => true,
        LeadStage.Won => lead.Sale is not null || lead.Stage == LeadStage.Won,
        _ => lead.Stage == stage || lead.StageHistory.Any(c => c.To == stage),
    };

    private static SourceConversion Conversion(LeadSource? source, List<Lead> leads)
    {
        var won = leads.Count(l => l.Stage == LeadStage.Won);
        var lost = leads.Count(l => l.Stage == LeadStage.Lost);
        return new SourceConversion(source, leads.Count, won, lost, leads.Count - won - lost, Share(won, leads.Count));
    }

    private static StockAge Stock(IReadOnlyCollection<InventoryVehicle> vehicles, DateTimeOffset now, Func<DateTimeOffset, bool> inPeriod)
    {
        var inStock = vehicles.Where(v => v.Status != VehicleStatus.Sold)
            .Select(v => new StockedVehicle(v.Vin, v.Specs.Make, v.Specs.Model, v.Specs.Year, v.Status, v.Specs.Price, v.Specs.Currency, v.AddedAt, AgeDays(v.AddedAt, now)))
            .OrderByDescending(v => v.AgeDays)
            .ThenBy(v => v.Vin, StringComparer.Ordinal)
            .ToList();
        var buckets = AgeBuckets.Select(b => new StockAgeBucket(b.Label, b.From, b.To, inStock.Count(v => v.AgeDays >= b.From && (b.To is null || v.AgeDays <= b.To)))).ToList();
        var daysToSell = vehicles.Where(v => v.Status == VehicleStatus.Sold)
            .Select(v => (v.AddedAt, SoldAt: v.History.LastOrDefault(h => h.To == VehicleStatus.Sold)?.At))
            .Where(v => v.SoldAt is { } soldAt && inPeriod(soldAt))
            .Select(v => (v.SoldAt!.Value - v.AddedAt).TotalDays)
            .ToList();
        return new StockAge(inStock.Count, inStock.Count == 0 ? 0 : Round1(inStock.Average(v => v.AgeDays)), inStock.Count == 0 ? 0 : inStock[0].AgeDays, buckets,
            daysToSell.Count, daysToSell.Count == 0 ? null : Round1(daysToSell.Average()), inStock);
    }

    private static decimal Share(int part, int whole) => whole == 0 ? 0 : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    private static decimal Round1(double value) => Math.Round((decimal)value, 1, MidpointRounding.AwayFromZero);
}
