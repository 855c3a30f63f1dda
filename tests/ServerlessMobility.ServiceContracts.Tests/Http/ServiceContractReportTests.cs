using System.Globalization;
using System.Net;
using System.Text.Json;
using MiniExcelLibs;
using ServerlessMobility.ServiceContracts.Reporting;
using ServerlessMobility.Testing;

namespace ServerlessMobility.ServiceContracts.Tests.Http;

/// <summary>
/// The dealership's monthly report through HTTP on the real emulators: contracts sold and paid through the API show up
/// in their month, per jurisdiction and currency, as JSON and in an xlsx workbook; another tenant's report holds none
/// of them; a malformed range is a 400 naming the field.
/// </summary>
public class ServiceContractReportTests(PlatformEmulators emulators)
{
    private static readonly DateOnly TwoYearsOld = DateOnly.FromDateTime(ServiceContractsHost.FakeClockStart.UtcDateTime).AddMonths(-24);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Rule(string jurisdiction, string currency, decimal net) => new
    {
        jurisdiction, currency, netPrice = net, deductible = 0m, limitPerClaim = 1_000m, totalLimit = 5_000m,
        ageBands = Array.Empty<object>(), mileageBands = Array.Empty<object>(), modelSurcharges = Array.Empty<object>(),
    };

    /// <summary>Sells a contract through quote and acceptance and waits until its first instalment is collected.</summary>
    private static async Task<string> SellAsync(ServiceContractsHost host, string tenant, string productId, string customer, string jurisdiction, string payment)
    {
        var quote = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-quotes", host.Token("staff-r", tenant, "dealer-staff"), new
        {
            productId, customerId = customer, jurisdiction, vin = "WSMV0PENAP1000017", model = "Hatchback", firstRegistered = TwoYearsOld, odometerKm = 30_000, payment,
        });
        var customerToken = host.Token(customer, tenant, "customer");
        var accepted = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contract-quotes/{quote.GetProperty("id").GetString()}/acceptance",
            customerToken, new { name = "Rita Report", documentHash = quote.GetProperty("documentHash").GetString() });
        var id = accepted.GetProperty("contract").GetProperty("id").GetString()!;
        await host.WaitForContractAsync(id, customerToken, view => ServiceContractsHost.IsPaid(view, 1), "the first instalment collected");
        return id;
    }

    private static async Task SellTwoAsync(ServiceContractsHost host, string tenant)
    {
        var product = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-products", host.Token("admin-r", tenant, "dealer-admin"), new
        {
            name = "Report Care",
            terms = new
            {
                coverage = new[] { new { code = "engine", name = "Engine", maxClaims = (int?)null } },
                termMonths = 24,
                termKilometres = (int?)null,
                eligibility = new { maxVehicleAgeMonths = 96, maxOdometerKm = 150_000, models = Array.Empty<string>() },
                prices = new[] { Rule("DE", "EUR", 500m), Rule("GB", "GBP", 400m) },
            },
        });
        var productId = product.GetProperty("id").GetString()!;

        // 500 net + 19 % = 595 EUR at once; 400 net + 20 % = 480 GBP in 24 instalments of 20, the first at the sale.
        await SellAsync(host, tenant, productId, "cust-r-de", "DE", "once");
        await SellAsync(host, tenant, productId, "cust-r-gb", "GB", "monthly");
    }

    private static (string Jurisdiction, string Currency, decimal Amount)[] Revenue(JsonElement month) =>
        [.. month.GetProperty("revenue").EnumerateArray().Select(r => (r.GetProperty("jurisdiction").GetString()!, r.GetProperty("currency").GetString()!, r.GetProperty("amount").GetDecimal()))];

    [Fact]
    public async Task Monthly_ContractsSoldAndPaid_InTheirMonthAsJsonAndXlsx_OtherTenantSeesNone()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-report";
        await SellTwoAsync(host, tenant);
        var staff = host.Token("staff-r", tenant, "dealer-staff");

        var report = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/service-contract-reports/monthly?from=2098-12&to=2099-01", staff);
        var months = report.GetProperty("months").EnumerateArray().ToArray();
        Assert.Equal(["2098-12", "2099-01"], months.Select(m => m.GetProperty("month").GetString()));
        Assert.Equal(0, months[0].GetProperty("sold").GetInt32());
        Assert.Equal(2, months[1].GetProperty("sold").GetInt32());
        Assert.Equal(2, months[1].GetProperty("activeAtMonthEnd").GetInt32());
        Assert.Equal([("DE", "EUR", 595m), ("GB", "GBP", 20m)], Revenue(months[1]));
        Assert.Equal(JsonValueKind.Null, months[1].GetProperty("renewalRate").ValueKind);

        // Another dealership's report on the same months: none of these contracts.
        var other = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/service-contract-reports/monthly?from=2098-12&to=2099-01", host.Token("staff-r", "tenant-sc-report-other", "dealer-admin"));
        Assert.All(other.GetProperty("months").EnumerateArray(), m =>
        {
            Assert.Equal(0, m.GetProperty("sold").GetInt32());
            Assert.Empty(m.GetProperty("revenue").EnumerateArray());
        });

        using var response = await host.SendAsync(HttpMethod.Get, "/api/service-contract-reports/monthly.xlsx?from=2098-12&to=2099-01", staff);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContractReportsEndpoints.XlsxContentType, response.Content.Headers.ContentType?.MediaType);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(["Months", "Revenue"], MiniExcel.GetSheetNames(workbook));
        var rows = MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "Months").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["2098-12", "2099-01"], rows.Select(r => (string)r["Month"]));
        Assert.Equal(2m, Convert.ToDecimal(rows[1]["Sold"], CultureInfo.InvariantCulture));
        Assert.Equal(2m, Convert.ToDecimal(rows[1]["ActiveAtMonthEnd"], CultureInfo.InvariantCulture));
        var revenue = MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "Revenue").Cast<IDictionary<string, object>>()
            .Select(r => ((string)r["Month"], (string)r["Jurisdiction"], (string)r["Currency"], Convert.ToDecimal(r["Amount"], CultureInfo.InvariantCulture)));
        Assert.Equal([("2099-01", "DE", "EUR", 595m), ("2099-01", "GB", "GBP", 20m)], revenue);
    }

    [Fact]
    public async Task Monthly_BadRangeOrRole_ProblemNamingTheField_ThirtySixMonthsAnswered()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        var staff = host.Token("staff-r", "tenant-sc-report-bad", "dealer-staff");
        (string Path, string Field)[] cases =
        [
            ("/api/service-contract-reports/monthly?from=2099-1&to=2099-02", "from"),
            ("/api/service-contract-reports/monthly?to=2099-02", "from"),
            ("/api/service-contract-reports/monthly?from=2099-01&to=2099-13", "to"),
            ("/api/service-contract-reports/monthly?from=2099-03&to=2099-02", "to"),
            ("/api/service-contract-reports/monthly?from=2097-01&to=2100-01", "to"),
            ("/api/service-contract-reports/monthly.xlsx?from=2099-03&to=2099-02", "to"),
        ];
        foreach (var (path, field) in cases)
        {
            using var response = await host.SendAsync(HttpMethod.Get, path, staff);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{path}: {text}");
        }

        // 2097-02 to 2100-01 is exactly 36 months: the longest range answered.
        var report = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/service-contract-reports/monthly?from=2097-02&to=2100-01", staff);
        Assert.Equal(36, report.GetProperty("months").GetArrayLength());

        using var forbidden = await host.SendAsync(HttpMethod.Get, "/api/service-contract-reports/monthly?from=2099-01&to=2099-01", host.Token("cust-r", "tenant-sc-report-bad", "customer"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
