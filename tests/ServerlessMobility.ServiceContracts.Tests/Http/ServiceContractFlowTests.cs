using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.ServiceContracts.Sales;
using ServerlessMobility.Testing;

namespace ServerlessMobility.ServiceContracts.Tests.Http;

/// <summary>
/// Issue 20's flow through HTTP on the real Cosmos server and Azurite (audit ledger): a dealership defines a product,
/// staff quote it in four countries, customers accept, a workshop claims, and contracts are cancelled inside and
/// outside each country's cooling-off period.
/// </summary>
public class ServiceContractFlowTests(PlatformEmulators emulators)
{
    private static readonly DateOnly SixYearsOld = DateOnly.FromDateTime(ServiceContractsHost.FakeClockStart.UtcDateTime).AddMonths(-72);
    private static readonly DateOnly TwoYearsOld = DateOnly.FromDateTime(ServiceContractsHost.FakeClockStart.UtcDateTime).AddMonths(-24);

    private static object Rule(string jurisdiction, string currency, decimal net) => new
    {
        jurisdiction, currency, netPrice = net, deductible = 50m, limitPerClaim = 1_000m, totalLimit = 1_500m,
        ageBands = new[] { new { fromMonths = 60, surchargeRate = 0.10m } },
        mileageBands = Array.Empty<object>(),
        modelSurcharges = Array.Empty<object>(),
    };

    private static object Terms(decimal deNet = 500m) => new
    {
        coverage = new[] { new { code = "engine", name = "Engine", maxClaims = (int?)2 }, new { code = "gearbox", name = "Gearbox", maxClaims = (int?)null } },
        termMonths = 24,
        termKilometres = 40_000,
        eligibility = new { maxVehicleAgeMonths = 96, maxOdometerKm = 150_000, models = Array.Empty<string>() },
        prices = new[] { Rule("DE", "EUR", deNet), Rule("GB", "GBP", 400m), Rule("KE", "KES", 20_000m), Rule("US-CA", "USD", 600m) },
    };

    private static async Task<string> CreateProductAsync(ServiceContractsHost host, string admin)
    {
        var product = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-products", admin, new { name = "Drivetrain Plus", terms = Terms() });
        return product.GetProperty("id").GetString()!;
    }

    private static Task<JsonElement> QuoteAsync(ServiceContractsHost host, string staff, string productId, string customer, string jurisdiction, DateOnly firstRegistered) =>
        host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-quotes", staff,
            new { productId, customerId = customer, jurisdiction, vin = "WSMV0PENAP1000017", model = "Hatchback", firstRegistered, odometerKm = 30_000 });

    /// <summary>Accepts and waits until the payment workflow collected the price (paid once, at the sale).</summary>
    private static async Task<JsonElement> AcceptAsync(ServiceContractsHost host, JsonElement quote, string customerToken, string name)
    {
        var contract = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contract-quotes/{quote.GetProperty("id").GetString()}/acceptance", customerToken,
            new { name, documentHash = quote.GetProperty("documentHash").GetString() })).GetProperty("contract");
        var paid = await host.WaitForContractAsync(contract.GetProperty("id").GetString()!, customerToken, view => ServiceContractsHost.IsPaid(view, 1), "the price collected");
        return paid.GetProperty("contract");
    }

    private static Task<JsonElement> CancelAsync(ServiceContractsHost host, JsonElement contract, string token) =>
        host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/service-contracts/{contract.GetProperty("id").GetString()}/cancellation", token, new { reason = "Vehicle sold." });

    private static decimal Decimal(JsonElement element, params string[] path) => path.Aggregate(element, (e, p) => e.GetProperty(p)).GetDecimal();

    [Fact]
    public async Task SellClaimCancel_FourCountries_TaxesAndRefundsFollowEachCountrysLaw()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-flow";
        var admin = host.Token("dealer-admin-1", tenant, "dealer-admin");
        var staff = host.Token("dealer-staff-1", tenant, "dealer-staff");
        var workshop = host.Token("workshop-1", tenant, "workshop-staff");
        var productId = await CreateProductAsync(host, admin);

        // Quotes: DE on a six-year-old vehicle (age surcharge), the others on a two-year-old one.
        var deQuote = await QuoteAsync(host, staff, productId, "cust-de", "DE", SixYearsOld);
        var gbQuote = await QuoteAsync(host, staff, productId, "cust-gb", "GB", TwoYearsOld);
        var keQuote = await QuoteAsync(host, staff, productId, "cust-ke", "KE", TwoYearsOld);
        var usQuote = await QuoteAsync(host, staff, productId, "cust-us", "US-CA", TwoYearsOld);

        // DE: 500 + 10 % age surcharge = 550 net, 19 % VAT included in the displayed price.
        Assert.Equal(550m, Decimal(deQuote, "price", "net"));
        Assert.Equal(104.50m, Decimal(deQuote, "price", "tax"));
        Assert.Equal(654.50m, Decimal(deQuote, "price", "displayedPrice"));
        Assert.Contains("Vehicle age 72 months", deQuote.GetProperty("price").GetProperty("lines")[1].GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.Equal(480.00m, Decimal(gbQuote, "price", "total"));
        Assert.Equal(23_200m, Decimal(keQuote, "price", "total"));

        // US-CA: sales tax 7.25 % is added on top; the displayed price is the net.
        Assert.Equal(600m, Decimal(usQuote, "price", "displayedPrice"));
        Assert.Equal(643.50m, Decimal(usQuote, "price", "total"));
        Assert.Equal(ServiceContractsHost.FakeClockStart.AddDays(14), deQuote.GetProperty("expiresAt").GetDateTimeOffset());

        // The sale: each customer accepts their own quote's document; name, time, address and hash are recorded.
        var de = await AcceptAsync(host, deQuote, host.Token("cust-de", tenant, "customer"), "Dora Deutsch");
        var gb = await AcceptAsync(host, gbQuote, host.Token("cust-gb", tenant, "customer"), "George Briton");
        var ke = await AcceptAsync(host, keQuote, host.Token("cust-ke", tenant, "customer"), "Wanjiru Kamau");
        var us = await AcceptAsync(host, usQuote, host.Token("cust-us", tenant, "customer"), "Carla Cruz");
        var acceptance = de.GetProperty("acceptance");
        Assert.Equal("Dora Deutsch", acceptance.GetProperty("name").GetString());
        Assert.Equal(ServiceContractsHost.FakeClockStart, acceptance.GetProperty("acceptedAt").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(acceptance.GetProperty("ipAddress").GetString()));
        Assert.Equal(deQuote.GetProperty("documentHash").GetString(), acceptance.GetProperty("documentHash").GetString());
        Assert.Equal("de", de.GetProperty("country").GetProperty("documentLanguage").GetString());

        // The contract document: a PDF issued through the documents capability, its hash on the contract.
        var deView = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{de.GetProperty("id").GetString()}", host.Token("cust-de", tenant, "customer"));
        using var pdf = await host.Client.GetAsync(deView.GetProperty("documentUrl").GetString(), TestContext.Current.CancellationToken);
        var pdfBytes = await pdf.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdfBytes, 0, 4), StringComparison.Ordinal);
        Assert.Equal(de.GetProperty("document").GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdfBytes)));
        var deId = de.GetProperty("id").GetString()!;

        // Claims: a workshop job on a covered item is paid less the deductible; tyres are not covered.
        host.Time.Advance(TimeSpan.FromDays(1));
        var paid = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contracts/{deId}/claims", workshop,
            new { coverageItem = "gearbox", amount = 800m, odometerKm = 31_000, description = "Gearbox bearing replaced", workshopJobId = "job-77" });
        var rejected = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contracts/{deId}/claims", workshop,
            new { coverageItem = "tyres", amount = 300m, odometerKm = 31_000, description = "Four tyres" });
        Assert.Equal("Accepted", paid.GetProperty("decision").GetString());
        Assert.Equal(750m, paid.GetProperty("payable").GetDecimal());
        Assert.Equal("Rejected", rejected.GetProperty("decision").GetString());
        Assert.Equal("'tyres' is not covered; the contract covers engine, gearbox.", rejected.GetProperty("rejectionReason").GetString());

        // Inside the cooling-off period (DE 14 days, US-CA 30 days): everything paid comes back.
        host.Time.Advance(TimeSpan.FromDays(2));
        var deCancelled = await CancelAsync(host, de, host.Token("cust-de", tenant, "customer"));
        var usCancelled = await CancelAsync(host, us, staff);
        Assert.Equal("cancelled", deCancelled.GetProperty("state").GetString());
        Assert.Equal(654.50m, Decimal(deCancelled, "contract", "cancellation", "refund"));
        Assert.True(deCancelled.GetProperty("contract").GetProperty("cancellation").GetProperty("withinCoolingOff").GetBoolean());
        Assert.Equal(643.50m, Decimal(usCancelled, "contract", "cancellation", "refund"));

        // 100 days after the sale (of 730: 2099-01-05 to 2101-01-05), outside the cooling-off periods.
        host.Time.Advance(TimeSpan.FromDays(97));
        var gbCancelled = await CancelAsync(host, gb, staff);
        var keCancelled = await CancelAsync(host, ke, host.Token("cust-ke", tenant, "customer"));

        // GB: 480 x 630 / 730 = 414.246... -> 414.24, less the 25 GBP fee. KE: no refund after 7 days.
        Assert.Equal(389.24m, Decimal(gbCancelled, "contract", "cancellation", "refund"));
        Assert.False(gbCancelled.GetProperty("contract").GetProperty("cancellation").GetProperty("withinCoolingOff").GetBoolean());
        Assert.Equal(0m, Decimal(keCancelled, "contract", "cancellation", "refund"));

        // A claim on a cancelled contract is rejected with the reason; a second cancellation is a conflict.
        var late = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contracts/{deId}/claims", workshop,
            new { coverageItem = "engine", amount = 400m, odometerKm = 32_000, description = "Engine mount" });
        Assert.Equal("The contract is cancelled.", late.GetProperty("rejectionReason").GetString());
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/service-contracts/{deId}/cancellation", staff, new { reason = "Again." });

        // Every change is in the ledger: sold, two claims, cancelled, the late claim; the record verifies.
        var verification = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{deId}/verification", host.Token("cust-de", tenant, "customer"));
        Assert.True(verification.GetProperty("isValid").GetBoolean(), verification.ToString());
        var stored = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{deId}", staff);
        Assert.Equal(["sold", "instalment-paid", "claim-accepted", "claim-rejected", "cancelled", "claim-rejected"],
            stored.GetProperty("contract").GetProperty("receipts").EnumerateArray().Select(r => r.GetProperty("event").GetString() ?? string.Empty).ToArray());
    }

    [Fact]
    public async Task Verify_StoredContractRowEdited_TheEditIsDetected()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-tamper";
        var productId = await CreateProductAsync(host, host.Token("admin-t", tenant, "dealer-admin"));
        var quote = await QuoteAsync(host, host.Token("staff-t", tenant, "dealer-staff"), productId, "cust-t", "GB", TwoYearsOld);
        var customer = host.Token("cust-t", tenant, "customer");
        var contract = await AcceptAsync(host, quote, customer, "Tess Tamper");
        var id = contract.GetProperty("id").GetString()!;
        var before = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{id}/verification", customer);

        // Someone with write access to the database lowers the price in the stored row.
        var contracts = host.Factory.Services.GetRequiredService<ITenantRepository<ServiceContract>>();
        var row = (await contracts.GetAsync(tenant, id, TestContext.Current.CancellationToken))!;
        await contracts.ReplaceAsync(tenant, id, row.Value with { Price = row.Value.Price with { Total = 1m } }, row.ETag, TestContext.Current.CancellationToken);
        var after = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{id}/verification", customer);

        // The customer's receipt still proves the sale from the ledger alone; a forged hash does not.
        var receipt = before.GetProperty("receipt");
        var receiptPath = $"/api/service-contracts/{id}/receipt-verification?sequence={receipt.GetProperty("sequence").GetInt64()}";
        var kept = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{receiptPath}&hash={receipt.GetProperty("hash").GetString()}", customer);
        var forged = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{receiptPath}&hash={new string('f', 64)}", customer);
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"{receiptPath}&hash=nothex", customer);

        Assert.True(before.GetProperty("isValid").GetBoolean(), before.ToString());
        Assert.True(kept.GetProperty("isValid").GetBoolean(), kept.ToString());
        Assert.Equal("instalment-paid", kept.GetProperty("receipt").GetProperty("event").GetString());
        Assert.False(forged.GetProperty("isValid").GetBoolean());
        Assert.Contains("another hash than the receipt", forged.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(before.GetProperty("receipt").GetProperty("sequence").GetInt64() > 0);
        Assert.False(after.GetProperty("isValid").GetBoolean());
        Assert.StartsWith("The stored contract was altered", after.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(after.GetProperty("ledgerChainValid").GetBoolean());
    }

    [Fact]
    public async Task Accept_WrongCustomerWrongDocumentExpiredOrTwice_RefusedWithTheRightProblem()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-accept";
        var productId = await CreateProductAsync(host, host.Token("admin-a", tenant, "dealer-admin"));
        var staff = host.Token("staff-a", tenant, "dealer-staff");
        var quote = await QuoteAsync(host, staff, productId, "cust-a", "KE", TwoYearsOld);
        var path = $"/api/service-contract-quotes/{quote.GetProperty("id").GetString()}/acceptance";
        var customer = host.Token("cust-a", tenant, "customer");
        var hash = quote.GetProperty("documentHash").GetString()!;

        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, path, host.Token("cust-other", tenant, "customer"), new { name = "Other", documentHash = hash });
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, path, host.Token("cust-a", "tenant-sc-elsewhere", "customer"), new { name = "Amina", documentHash = hash });
        var mismatch = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, path, customer, new { name = "Amina", documentHash = new string('0', 64) });
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, customer, new { name = "Amina", documentHash = "not-a-hash" });
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, path, customer, new { name = "Amina", documentHash = hash });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, path, customer, new { name = "Amina", documentHash = hash });

        var late = await QuoteAsync(host, staff, productId, "cust-a", "KE", TwoYearsOld);
        host.Time.Advance(TimeSpan.FromDays(14));
        var expired = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/service-contract-quotes/{late.GetProperty("id").GetString()}/acceptance", customer,
            new { name = "Amina", documentHash = late.GetProperty("documentHash").GetString() });

        Assert.Contains("not the quote's contract document", mismatch.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("expired", expired.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_NewVersionAfterQuote_ContractKeepsTheVersionItWasSoldUnder()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-versions";
        var admin = host.Token("admin-v", tenant, "dealer-admin");
        var productId = await CreateProductAsync(host, admin);
        var quote = await QuoteAsync(host, host.Token("staff-v", tenant, "dealer-staff"), productId, "cust-v", "DE", TwoYearsOld);

        var published = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/service-contract-products/{productId}/versions", admin, new { terms = Terms(deNet: 900m) });
        var contract = await AcceptAsync(host, quote, host.Token("cust-v", tenant, "customer"), "Vera Version");
        var noProblem = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, "/api/service-contract-quotes", host.Token("staff-v", tenant, "dealer-staff"),
            new { productId, customerId = "cust-v", jurisdiction = "FR", vin = "WSMV0PENAP1000017", model = "Hatchback", firstRegistered = TwoYearsOld, odometerKm = 30_000 });

        Assert.Equal(2, published.GetProperty("versions").GetArrayLength());
        Assert.Equal(1, contract.GetProperty("productVersion").GetProperty("version").GetInt32());
        Assert.Equal(595m, Decimal(contract, "price", "total"));
        Assert.Contains("no price in FR", noProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_WithRecordedConsent_DealershipRenews_WithoutIt_OnlyTheCustomer()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-renewal";
        var productId = await CreateProductAsync(host, host.Token("admin-r", tenant, "dealer-admin"));
        var staff = host.Token("staff-r", tenant, "dealer-staff");
        var consenting = host.Token("cust-r1", tenant, "customer");
        var silent = host.Token("cust-r2", tenant, "customer");
        var withConsent = (await AcceptAsync(host, await QuoteAsync(host, staff, productId, "cust-r1", "GB", TwoYearsOld), consenting, "Rita Renew")).GetProperty("id").GetString()!;
        var withoutConsent = (await AcceptAsync(host, await QuoteAsync(host, staff, productId, "cust-r2", "GB", TwoYearsOld), silent, "Sam Silent")).GetProperty("id").GetString()!;

        var consent = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/service-contracts/{withConsent}/renewal-consent", consenting, new { given = true });
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/service-contracts/{withConsent}/renewal-consent", silent, new { given = true });
        var early = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/service-contracts/{withConsent}/renewal", staff, new { odometerKm = 40_000 });

        // 23 months on, inside the last 60 days of the 24-month term.
        host.Time.SetUtcNow(ServiceContractsHost.FakeClockStart.AddMonths(23));
        var renewed = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/service-contracts/{withConsent}/renewal", staff, new { odometerKm = 52_000 });
        var refused = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/service-contracts/{withoutConsent}/renewal", staff, new { odometerKm = 52_000 });
        var byCustomer = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/service-contracts/{withoutConsent}/renewal", silent, new { odometerKm = 52_000 });
        var verified = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{withConsent}/verification", consenting);

        Assert.True(consent.GetProperty("contract").GetProperty("renewalConsent").GetProperty("given").GetBoolean());
        Assert.Contains("Renewal opens 60 days before the end of the term", early.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(ServiceContractsHost.FakeClockStart.AddMonths(24), renewed.GetProperty("contract").GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(ServiceContractsHost.FakeClockStart.AddMonths(48), renewed.GetProperty("contract").GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal(480m, Decimal(renewed, "contract", "price", "total"));
        Assert.Contains("not consented", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(byCustomer.GetProperty("contract").GetProperty("renewals")[0].GetProperty("byCustomer").GetBoolean());
        Assert.True(verified.GetProperty("isValid").GetBoolean(), verified.ToString());

        // The new term is paid as the first was, on its first day, by the contract's workflow.
        Assert.Equal(2, renewed.GetProperty("contract").GetProperty("instalments").GetArrayLength());
        host.Time.SetUtcNow(ServiceContractsHost.FakeClockStart.AddMonths(24));
        await host.WaitForContractAsync(withConsent, consenting, view => ServiceContractsHost.IsPaid(view, 2), "the renewed term's price collected");
    }

    [Fact]
    public async Task RenewalRun_ReminderBeforeTheEnd_ConsentedContractRenewsItself_OtherLapses()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-autorenew";
        var productId = await CreateProductAsync(host, host.Token("admin-ar", tenant, "dealer-admin"));
        var staff = host.Token("staff-ar", tenant, "dealer-staff");
        var consenting = host.Token("cust-ar1", tenant, "customer");
        var silent = host.Token("cust-ar2", tenant, "customer");
        var renews = (await AcceptAsync(host, await QuoteAsync(host, staff, productId, "cust-ar1", "DE", TwoYearsOld), consenting, "Ada Auto")).GetProperty("id").GetString()!;
        var lapses = (await AcceptAsync(host, await QuoteAsync(host, staff, productId, "cust-ar2", "KE", TwoYearsOld), silent, "Kip Lapse")).GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/service-contracts/{renews}/renewal-consent", consenting, new { given = true });
        var end = ServiceContractsHost.FakeClockStart.AddMonths(24);

        // 20 days before the end (the test host's reminder lead) both customers are reminded, once.
        host.Time.SetUtcNow(end.AddDays(-20));
        static bool Reminded(JsonElement view) => view.GetProperty("contract").GetProperty("receipts").EnumerateArray().Any(r => r.GetProperty("event").GetString() == "renewal-reminder-sent");
        await host.WaitForContractAsync(renews, consenting, Reminded, "the renewal reminder");
        await host.WaitForContractAsync(lapses, silent, Reminded, "the renewal reminder");

        // 7 days before the end the consented contract renews itself, priced as the vehicle is; the other does not.
        host.Time.SetUtcNow(end.AddDays(-7));
        var renewed = await host.WaitForContractAsync(renews, consenting,
            view => view.GetProperty("contract").TryGetProperty("renewals", out var r) && r.ValueKind == JsonValueKind.Array && r.GetArrayLength() == 1, "the automatic renewal");
        var renewal = renewed.GetProperty("contract").GetProperty("renewals")[0];
        Assert.Equal("renewal-run", renewal.GetProperty("renewedBy").GetString());
        Assert.False(renewal.GetProperty("byCustomer").GetBoolean());
        Assert.Equal(end.AddMonths(24), renewed.GetProperty("contract").GetProperty("endsAt").GetDateTimeOffset());

        // At the old end the new term's price is collected; the other contract has lapsed.
        host.Time.SetUtcNow(end);
        var paid = await host.WaitForContractAsync(renews, consenting, view => ServiceContractsHost.IsPaid(view, 2), "the new term's price collected");
        var lapsed = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{lapses}", silent);
        Assert.Equal("active", paid.GetProperty("state").GetString());
        Assert.Equal("expired", lapsed.GetProperty("state").GetString());
        Assert.Equal(["sold", "instalment-paid", "renewal-consent-given", "renewal-reminder-sent", "renewed-automatically", "instalment-paid"],
            paid.GetProperty("contract").GetProperty("receipts").EnumerateArray().Select(r => r.GetProperty("event").GetString() ?? string.Empty).ToArray());
        var verified = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{renews}/verification", consenting);
        Assert.True(verified.GetProperty("isValid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task Recommend_WithoutTelemetry_UsesTheGivenOdometer_RanksTheTenantsProducts_BadInputIs400()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-recommend";
        var productId = await CreateProductAsync(host, host.Token("admin-rc", tenant, "dealer-admin"));
        var staff = host.Token("staff-rc", tenant, "dealer-staff");
        const string Path = "/api/service-contract-recommendations?vin=WSMV0PENAP1000017&jurisdiction=GB&model=Hatchback";

        var answer = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{Path}&firstRegistered={TwoYearsOld:yyyy-MM-dd}&odometerKm=30000", staff);
        var noOdometer = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"{Path}&firstRegistered={TwoYearsOld:yyyy-MM-dd}", staff);
        var badDate = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"{Path}&firstRegistered=yesterday&odometerKm=1", staff);
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"{Path}&firstRegistered={TwoYearsOld:yyyy-MM-dd}&odometerKm=30000", host.Token("cust-rc", tenant, "customer"));

        Assert.False(answer.GetProperty("odometerFromTelemetry").GetBoolean());
        var product = Assert.Single(answer.GetProperty("products").EnumerateArray());
        Assert.Equal(productId, product.GetProperty("productId").GetString());
        Assert.True(product.GetProperty("suitable").GetBoolean());
        Assert.Contains("Drives about 1250 km a month (by the odometer given)", product.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(480m, Decimal(product, "price", "total"));
        Assert.Contains("odometerKm", noOdometer.GetProperty("errors").ToString(), StringComparison.Ordinal);
        Assert.Contains("firstRegistered", badDate.GetProperty("errors").ToString(), StringComparison.Ordinal);
    }
}
