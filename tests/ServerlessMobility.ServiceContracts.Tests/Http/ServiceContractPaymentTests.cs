using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Simulation;
using ServerlessMobility.Testing;

namespace ServerlessMobility.ServiceContracts.Tests.Http;

/// <summary>
/// Monthly payment through the shared payments capability on the real emulators and the durable workflow: a declined
/// instalment is retried by the schedule and paid; one declined at every retry suspends the coverage and cancels the
/// contract after the grace period; a monthly contract cancelled later refunds only what was paid ahead.
/// </summary>
public class ServiceContractPaymentTests(PlatformEmulators emulators)
{
    private static readonly DateOnly TwoYearsOld = DateOnly.FromDateTime(ServiceContractsHost.FakeClockStart.UtcDateTime).AddMonths(-24);

    internal static async Task<(string Id, JsonElement Quote)> SellMonthlyAsync(ServiceContractsHost host, string tenant, string customer, string jurisdiction, string currency, decimal net)
    {
        var admin = host.Token("admin-p", tenant, "dealer-admin");
        var product = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-products", admin, new
        {
            name = "Monthly Care",
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
                        jurisdiction, currency, netPrice = net, deductible = 0m, limitPerClaim = 1_000m, totalLimit = 5_000m,
                        ageBands = Array.Empty<object>(), mileageBands = Array.Empty<object>(), modelSurcharges = Array.Empty<object>(),
                    },
                },
            },
        });
        var quote = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-quotes", host.Token("staff-p", tenant, "dealer-staff"), new
        {
            productId = product.GetProperty("id").GetString(), customerId = customer, jurisdiction, vin = "WSMV0PENAP1000017", model = "Hatchback",
            firstRegistered = TwoYearsOld, odometerKm = 30_000, payment = "monthly",
        });
        var accepted = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contract-quotes/{quote.GetProperty("id").GetString()}/acceptance",
            host.Token(customer, tenant, "customer"), new { name = "Pat Payer", documentHash = quote.GetProperty("documentHash").GetString() });
        return (accepted.GetProperty("contract").GetProperty("id").GetString()!, quote);
    }

    private static void ScriptDeclines(ServiceContractsHost host, string tenant, string customer, int times) =>
        host.Factory.Services.GetRequiredService<PartnerSimulatorControl>().Script(PartnerSimulators.SharedPayments, tenant, customer,
            [new ScriptedOutcome(SimulatedOutcomeKind.Decline, "card-declined", Times: times)]);

    private static string[] Events(JsonElement view) =>
        [.. view.GetProperty("contract").GetProperty("receipts").EnumerateArray().Select(r => r.GetProperty("event").GetString() ?? string.Empty)];

    [Fact]
    public async Task Monthly_FirstInstalmentDeclinedThenRetried_PaidAndTheNextMonthCollected()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-pay-de";
        ScriptDeclines(host, tenant, "cust-pay-de", times: 1);
        var (id, quote) = await SellMonthlyAsync(host, tenant, "cust-pay-de", "DE", "EUR", 500m);
        var customer = host.Token("cust-pay-de", tenant, "customer");

        // 500 net + 19 % VAT = 595 EUR, in 24 instalments of 24.79 and a last one of 24.83; part of the accepted document.
        var amounts = quote.GetProperty("payment").GetProperty("amounts").EnumerateArray().Select(a => a.GetDecimal()).ToArray();
        Assert.Equal("Monthly", quote.GetProperty("payment").GetProperty("schedule").GetString());
        Assert.Equal(24, amounts.Length);
        Assert.Equal(24.79m, amounts[0]);
        Assert.Equal(24.83m, amounts[^1]);

        // The collection on the sale's day is declined; the coverage stays active while retries remain.
        var declined = await host.WaitForContractAsync(id, customer, view => ServiceContractsHost.Attempts(view, 1).Length == 1, "the first attempt");
        Assert.Equal("card-declined", ServiceContractsHost.Attempts(declined, 1)[0].GetProperty("failureCode").GetString());
        Assert.Equal("active", declined.GetProperty("state").GetString());

        // A day later (the first retry) the card works.
        host.Time.Advance(TimeSpan.FromDays(1));
        var paid = await host.WaitForContractAsync(id, customer, view => ServiceContractsHost.IsPaid(view, 1), "instalment 1 paid on the retry");
        Assert.Equal(2, ServiceContractsHost.Attempts(paid, 1).Length);
        Assert.False(ServiceContractsHost.IsPaid(paid, 2));

        // A month after the sale the second instalment is collected.
        host.Time.SetUtcNow(ServiceContractsHost.FakeClockStart.AddMonths(1));
        var second = await host.WaitForContractAsync(id, customer, view => ServiceContractsHost.IsPaid(view, 2), "instalment 2 paid");
        Assert.Equal(["sold", "payment-declined", "instalment-paid", "instalment-paid"], Events(second));

        // Cancelled on day 40, outside the 14-day cooling-off: 49.58 EUR paid, 40 of 730 days used (32.60): 16.97 back.
        host.Time.SetUtcNow(ServiceContractsHost.FakeClockStart.AddDays(40));
        var cancelled = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/service-contracts/{id}/cancellation", customer, new { reason = "Moving abroad." });
        Assert.Equal(16.97m, cancelled.GetProperty("contract").GetProperty("cancellation").GetProperty("refund").GetDecimal());

        var verification = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{id}/verification", customer);
        Assert.True(verification.GetProperty("isValid").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task Monthly_DeclinedAtEveryRetry_CoverageSuspendedThenCancelledAfterTheGracePeriod()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        const string tenant = "tenant-sc-pay-gb";
        ScriptDeclines(host, tenant, "cust-pay-gb", times: 0);
        var (id, _) = await SellMonthlyAsync(host, tenant, "cust-pay-gb", "GB", "GBP", 400m);
        var customer = host.Token("cust-pay-gb", tenant, "customer");
        var workshop = host.Token("workshop-p", tenant, "workshop-staff");

        await host.WaitForContractAsync(id, customer, view => ServiceContractsHost.Attempts(view, 1).Length == 1, "the first attempt");
        host.Time.Advance(TimeSpan.FromDays(1));
        await host.WaitForContractAsync(id, customer, view => ServiceContractsHost.Attempts(view, 1).Length == 2, "the first retry");
        host.Time.Advance(TimeSpan.FromDays(2));
        var suspended = await host.WaitForContractAsync(id, customer, view => view.GetProperty("state").GetString() == "suspended", "the coverage suspended");
        Assert.Equal(3, ServiceContractsHost.Attempts(suspended, 1).Length);
        Assert.Equal(ServiceContractsHost.FakeClockStart.AddDays(10), suspended.GetProperty("contract").GetProperty("suspension").GetProperty("cancelsAt").GetDateTimeOffset());

        // While suspended a claim is refused with the reason, and renewal is not possible.
        var claim = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contracts/{id}/claims", workshop,
            new { coverageItem = "engine", amount = 300m, odometerKm = 31_000, description = "Engine mount" });
        Assert.Equal("Rejected", claim.GetProperty("decision").GetString());
        Assert.StartsWith("The coverage is suspended since", claim.GetProperty("rejectionReason").GetString(), StringComparison.Ordinal);

        host.Time.Advance(TimeSpan.FromDays(7));
        var cancelled = await host.WaitForContractAsync(id, customer, view => view.GetProperty("state").GetString() == "cancelled", "cancelled for non-payment");
        var cancellation = cancelled.GetProperty("contract").GetProperty("cancellation");
        Assert.Equal("payments", cancellation.GetProperty("cancelledBy").GetString());
        Assert.StartsWith("Not paid: instalment 1 of 20.00 GBP", cancellation.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0m, cancellation.GetProperty("refund").GetDecimal());
        Assert.Equal(["sold", "payment-declined", "payment-declined", "payment-declined", "coverage-suspended", "claim-rejected", "cancelled-for-non-payment"], Events(cancelled));
    }
}
