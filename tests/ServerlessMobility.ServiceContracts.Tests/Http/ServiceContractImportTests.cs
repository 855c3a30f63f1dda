using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ServerlessMobility.ServiceContracts.Import;
using ServerlessMobility.Testing;

namespace ServerlessMobility.ServiceContracts.Tests.Http;

/// <summary>
/// Bulk import of legacy contracts through HTTP on the real emulators: CSV, JSON and XML files, a per-record report in
/// which bad records are rejected alone, a second import of the same file that changes nothing, and imported
/// contracts that verify against the audit ledger and count in the monthly report.
/// </summary>
public class ServiceContractImportTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> CreateProductAsync(ServiceContractsHost host, string tenant)
    {
        var product = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-products", host.Token("admin-i", tenant, "dealer-admin"), new
        {
            name = "Legacy Care",
            terms = new
            {
                coverage = new[] { new { code = "engine", name = "Engine", maxClaims = (int?)null } },
                termMonths = 24,
                termKilometres = (int?)null,
                eligibility = new { maxVehicleAgeMonths = 96, maxOdometerKm = 150_000, models = Array.Empty<string>() },
                prices = new[]
                {
                    new
                    {
                        jurisdiction = "DE", currency = "EUR", netPrice = 500m, deductible = 0m, limitPerClaim = 1_000m, totalLimit = 5_000m,
                        ageBands = Array.Empty<object>(), mileageBands = Array.Empty<object>(), modelSurcharges = Array.Empty<object>(),
                    },
                },
            },
        });
        return product.GetProperty("id").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ImportAsync(ServiceContractsHost host, string token, string content, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/service-contract-imports") { Content = new StringContent(content, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string[] Statuses(JsonElement report) => [.. report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];

    private static string Csv(string productId) =>
        "externalId,customerId,jurisdiction,productId,vin,model,firstRegistered,odometerKm,startsAt,priceTotal,currency\r\n"
        + $"LEG-1,cust-leg-1,DE,{productId},WSMV0PENAP1000017,\"Hatchback, 5-door\",2096-03-01,41000,2098-11-15,595.00,EUR\r\n"
        + $"LEG-2,cust-leg-2,de,{productId},WSMV0PENAP1000017,Estate,2097-06-10,12000,2098-12-01,610,EUR\r\n"
        + $"LEG-3,cust-leg-3,DE,no-such-product,WSMV0PENAP100001I,Estate,2097-06-10,-5,2100-01-01,12.345,EUR\r\n"
        + $"LEG-1,cust-leg-1,DE,{productId},WSMV0PENAP1000017,Hatchback,2096-03-01,41000,2098-11-15,595.00,EUR\r\n"
        + $"LEG-4,cust-leg-4,DE,{productId},WSMV0PENAP1000017,Estate,2097-06-10,12000,2098-12-01,610,GBP\r\n";

    [Fact]
    public async Task Import_Csv_GoodRecordsImportedBadOnesRejectedAlone_SecondImportSkipsAll()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-import";
        var productId = await CreateProductAsync(host, tenant);
        var admin = host.Token("admin-i", tenant, "dealer-admin");

        var (status, report) = await ImportAsync(host, admin, Csv(productId), "text/csv");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal([ContractImports.Imported, ContractImports.Imported, ContractImports.Rejected, ContractImports.SkippedDuplicate, ContractImports.Rejected], Statuses(report));
        Assert.Equal((2, 1, 2), (report.GetProperty("imported").GetInt32(), report.GetProperty("skippedDuplicates").GetInt32(), report.GetProperty("rejected").GetInt32()));
        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3, 4, 5], rows.Select(r => r.GetProperty("row").GetInt32()));
        var rejected = rows[2].GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["odometerKm", "priceTotal", "productId", "startsAt", "vin"], rejected);
        Assert.Equal(["currency"], rows[4].GetProperty("errors").EnumerateObject().Select(e => e.Name));

        // The imported contract: active, paid once elsewhere, priced as the record says, and vouched for by the ledger.
        var id = rows[0].GetProperty("contractId").GetString()!;
        var view = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{id}", admin);
        var contract = view.GetProperty("contract");
        Assert.Equal("active", view.GetProperty("state").GetString());
        Assert.Equal("Hatchback, 5-door", contract.GetProperty("vehicle").GetProperty("model").GetString());
        Assert.Equal(595m, contract.GetProperty("price").GetProperty("total").GetDecimal());
        Assert.Equal(ContractImports.ImportedPriceLabel, contract.GetProperty("price").GetProperty("lines").EnumerateArray().Single().GetProperty("label").GetString());
        Assert.Equal("Once", contract.GetProperty("payment").GetProperty("schedule").GetString());
        var attempt = ServiceContractsHost.Attempts(view, 1).Single();
        Assert.True(attempt.GetProperty("succeeded").GetBoolean());
        Assert.Equal("import:LEG-1", attempt.GetProperty("providerReference").GetString());
        Assert.Equal("2100-11-15", contract.GetProperty("endsAt").GetString()![..10]);
        Assert.Equal(["imported"], contract.GetProperty("receipts").EnumerateArray().Select(r => r.GetProperty("event").GetString()));
        var verification = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{id}/verification", admin);
        Assert.True(verification.GetProperty("isValid").GetBoolean(), verification.ToString());

        // The same file again: what was imported is skipped, nothing is written twice.
        var (againStatus, again) = await ImportAsync(host, admin, Csv(productId), "text/csv");
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal([ContractImports.SkippedDuplicate, ContractImports.SkippedDuplicate, ContractImports.Rejected, ContractImports.SkippedDuplicate, ContractImports.Rejected], Statuses(again));
        var unchanged = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{id}", admin);
        Assert.Single(unchanged.GetProperty("contract").GetProperty("receipts").EnumerateArray());

        // Collected elsewhere at the start: the report counts each price in the month the contract started.
        var monthly = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/service-contract-reports/monthly?from=2098-11&to=2098-12", admin);
        var months = monthly.GetProperty("months").EnumerateArray().ToArray();
        Assert.Equal((1, 1), (months[0].GetProperty("sold").GetInt32(), months[1].GetProperty("sold").GetInt32()));
        Assert.Equal(610m, months[1].GetProperty("revenue").EnumerateArray().Single().GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Import_JsonAndXml_SameRulesAsCsv()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-import-formats";
        var productId = await CreateProductAsync(host, tenant);
        var admin = host.Token("admin-i", tenant, "dealer-admin");

        var json = JsonSerializer.Serialize(new object[]
        {
            new { externalId = "J-1", customerId = "cust-j", jurisdiction = "DE", productId, vin = "WSMV0PENAP1000017", model = "Estate", firstRegistered = "2097-01-01", odometerKm = 9_000, startsAt = "2098-12-24", priceTotal = 600m, currency = "EUR" },
            new { externalId = "J-2", customerId = "cust-j", jurisdiction = "XX", productId, vin = "WSMV0PENAP1000017", model = "Estate", firstRegistered = "2097-01-01", odometerKm = 9_000, startsAt = "2098-12-24", priceTotal = 600m, currency = "EUR" },
            42,
        });
        var (jsonStatus, jsonReport) = await ImportAsync(host, admin, json, "application/json");
        Assert.True(jsonStatus == HttpStatusCode.OK, jsonReport.ToString());
        Assert.Equal([ContractImports.Imported, ContractImports.Rejected, ContractImports.Rejected], Statuses(jsonReport));

        var xml = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <contracts>
              <contract><externalId>X-1</externalId><customerId>cust-x</customerId><jurisdiction>DE</jurisdiction><productId>{productId}</productId><vin>WSMV0PENAP1000017</vin>
                <model>Estate</model><firstRegistered>2097-01-01</firstRegistered><odometerKm>9000</odometerKm><startsAt>2098-12-24</startsAt><priceTotal>600</priceTotal><currency>EUR</currency></contract>
              <contract><externalId>X-2</externalId></contract>
            </contracts>
            """;
        var (xmlStatus, xmlReport) = await ImportAsync(host, admin, xml, "application/xml");
        Assert.True(xmlStatus == HttpStatusCode.OK, xmlReport.ToString());
        Assert.Equal([ContractImports.Imported, ContractImports.Rejected], Statuses(xmlReport));
    }

    [Fact]
    public async Task Import_UnreadableOrTooLarge_ProblemDetails()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        var admin = host.Token("admin-i", "tenant-sc-import-bad", "dealer-admin");

        var (plain, _) = await ImportAsync(host, admin, "a,b", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain);

        var (broken, brokenBody) = await ImportAsync(host, admin, "[{\"externalId\":", "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, broken);
        Assert.True(brokenBody.GetProperty("errors").TryGetProperty("body", out _), brokenBody.ToString());

        // An XML bomb: DTDs are refused, nothing is expanded.
        var (entity, _) = await ImportAsync(host, admin, "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x><c><externalId>&a;</externalId></c></x>", "application/xml");
        Assert.Equal(HttpStatusCode.BadRequest, entity);

        var tooMany = "externalId\n" + string.Concat(Enumerable.Range(1, ImportFileReader.MaxRows + 1).Select(i => $"R-{i}\n"));
        var (many, manyBody) = await ImportAsync(host, admin, tooMany, "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, many);
        Assert.Contains("1000", manyBody.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);

        using var forbidden = await host.SendAsync(HttpMethod.Post, "/api/service-contract-imports", host.Token("staff-i", "tenant-sc-import-bad", "dealer-staff"), Array.Empty<object>());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
