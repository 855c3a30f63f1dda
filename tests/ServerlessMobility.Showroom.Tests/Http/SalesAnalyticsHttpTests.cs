using System.Globalization;
using System.Net;
using MiniExcelLibs;
using ServerlessMobility.Showroom.Analytics;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>
/// The sales analytics through HTTP on the real emulators: leads worked and cars stocked through the API show up in the
/// funnel, the conversion, the sales and the stock age, as JSON and in the workbook; another dealership's figures hold
/// none of them; a bad period is a 400 naming the field, and sales staff are refused.
/// </summary>
public sealed class SalesAnalyticsHttpTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LeadsAndStock_OfTheDealership_InTheFiguresAndTheWorkbook()
    {
        await using var host = LeadsHost.Start(emulators);
        await host.RosterAsync();
        var sam = host.Staff("sam");

        // A walk-in sold after a call and a negotiation; a web enquiry lost; a car stocked on the first day.
        var sold = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, LeadsHost.WalkIn("kim@example.test"))).GetProperty("id").GetString();
        var lost = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam, new { source = "Web", name = "Lou Buyer", email = "lou@example.test" }))
            .GetProperty("id").GetString();
        var vin = ShowroomHost.NewVin();
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/inventory", sam, ShowroomHost.Vehicle(vin, "Skoda", "Octavia"));
        host.Time.Advance(TimeSpan.FromHours(3));
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{sold}/activities", sam, new { kind = "Call" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{sold}/stage", sam, new { stage = "Negotiating" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{sold}/convert", sam, new { vehicleId = "veh-golf-1", price = 29_500m, currency = "EUR" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{lost}/stage", sam, new { stage = "Lost", reason = "No budget" });
        host.Time.Advance(TimeSpan.FromDays(10));

        var report = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/analytics?from=2099-01-01&to=2099-01-31", host.Admin);
        Assert.Equal(2, report.GetProperty("captured").GetInt32());
        var funnel = report.GetProperty("funnel").EnumerateArray().Select(f => (f.GetProperty("stage").GetString(), f.GetProperty("reached").GetInt32())).ToList();
        Assert.Equal([("New", 2), ("Contacted", 1), ("TestDrive", 0), ("Negotiating", 1), ("Won", 1)], funnel);
        var all = report.GetProperty("conversion")[0];
        Assert.Equal((2, 1, 1, 0.5m), (all.GetProperty("captured").GetInt32(), all.GetProperty("won").GetInt32(), all.GetProperty("lost").GetInt32(), all.GetProperty("conversionRate").GetDecimal()));
        Assert.Equal(3.0m, report.GetProperty("averageHoursToFirstResponse").GetDecimal());
        var sale = Assert.Single(report.GetProperty("sales").EnumerateArray());
        Assert.Equal(("EUR", 29_500m), (sale.GetProperty("currency").GetString(), sale.GetProperty("revenue").GetDecimal()));
        var stock = report.GetProperty("stock");
        Assert.Equal((1, 10), (stock.GetProperty("inStock").GetInt32(), stock.GetProperty("oldestAgeDays").GetInt32()));
        Assert.Equal(vin, stock.GetProperty("vehicles")[0].GetProperty("vin").GetString());

        // Without a period: the 30 days ending today, which hold the same leads.
        var recent = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/analytics", host.Admin);
        Assert.Equal(("2098-12-17", "2099-01-15", 2), (recent.GetProperty("from").GetString(), recent.GetProperty("to").GetString(), recent.GetProperty("captured").GetInt32()));

        using var response = await host.SendAsync(HttpMethod.Get, "/api/showroom/analytics.xlsx?from=2099-01-01&to=2099-01-31", host.Admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SalesAnalyticsEndpoints.XlsxContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("showroom-analytics-2099-01-01-2099-01-31.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(["Funnel", "Conversion", "Sales", "Stock"], MiniExcel.GetSheetNames(workbook));
        var funnelRows = Sheet(workbook, "Funnel").Select(r => ((string)r["Stage"], Convert.ToInt32(r["Reached"], CultureInfo.InvariantCulture)));
        Assert.Equal(funnel, funnelRows.Select(r => ((string?)r.Item1, r.Item2)));
        var stockRow = Assert.Single(Sheet(workbook, "Stock"));
        Assert.Equal((vin, "Skoda", 10), ((string)stockRow["Vin"], (string)stockRow["Make"], Convert.ToInt32(stockRow["AgeDays"], CultureInfo.InvariantCulture)));
        var salesRow = Assert.Single(Sheet(workbook, "Sales"));
        Assert.Equal(("EUR", 29_500m), ((string)salesRow["Currency"], Convert.ToDecimal(salesRow["Revenue"], CultureInfo.InvariantCulture)));

        // Another dealership's manager sees nothing of this one.
        var elsewhere = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/showroom/analytics?from=2099-01-01&to=2099-01-31",
            host.TokenOfTenant($"sr-other-{Guid.NewGuid():N}"[..20], "manager-2", "dealer-admin"));
        Assert.Equal((0, 0), (elsewhere.GetProperty("captured").GetInt32(), elsewhere.GetProperty("stock").GetProperty("inStock").GetInt32()));
    }

    [Fact]
    public async Task BadPeriodOrRole_IsAProblem_NamingTheField()
    {
        await using var host = LeadsHost.Start(emulators);
        (string Query, string Field)[] cases =
        [
            ("from=2099-02-30&to=2099-03-01", "from"),
            ("from=2099-01-10&to=2099-01-09", "to"),
            ("from=2098-01-01&to=2099-01-31", "to"),
            ("to=01/31/2099", "to"),
        ];
        foreach (var (query, field) in cases)
        {
            var problem = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/showroom/analytics?{query}", host.Admin);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
            await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/showroom/analytics.xlsx?{query}", host.Admin);
        }

        // The figures are the managers': sales staff and customers are refused.
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/showroom/analytics", host.Staff("sam"));
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/showroom/analytics.xlsx", host.Token("buyer-1", "customer"));
    }

    private static List<IDictionary<string, object>> Sheet(Stream workbook, string name) =>
        [.. MiniExcel.Query(workbook, useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object>>()];
}
