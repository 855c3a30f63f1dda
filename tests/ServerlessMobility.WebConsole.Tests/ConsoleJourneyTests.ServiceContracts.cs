using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>
/// The service contracts screen: the month by month figures, one contract with its payment and claims, and the changes
/// dealership staff make there (a price for the customer to accept, a claim, a cancellation), each checked against the API.
/// </summary>
public sealed partial class ConsoleJourneyTests
{
    [Fact]
    public async Task DealerStaff_ReadsTheMonthsFigures_AndAContractWithItsClaims_AndABadMonthIsExplained()
    {
        var customer = "sc-" + Guid.NewGuid().ToString("N")[..10];
        var contractId = await console.SellServiceContractWithClaimsAsync(customer, "Dora Deutsch");
        var thisMonth = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-contracts", "dealer-staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Service contracts" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Service contracts", Level = 1 })).ToBeFocusedAsync();

        // The last six months, newest first: this month counts the sale and its collected price with the other journeys' sales
        // (one host for the class), so the figures expected are the API's own for the month.
        using var reader = await console.ClientAsync("console-test-staff", "dealer-staff");
        using var report = JsonDocument.Parse(await reader.GetStringAsync($"/api/service-contract-reports/monthly?from={thisMonth}&to={thisMonth}", TestContext.Current.CancellationToken));
        var figures = report.RootElement.GetProperty("months")[0];
        var sold = figures.GetProperty("sold").GetInt32();
        Assert.True(sold >= 1, $"The month's report counts {sold} sales, without the one just made.");
        var revenue = figures.GetProperty("revenue").EnumerateArray().Single(r => r.GetProperty("jurisdiction").GetString() == "DE").GetProperty("amount").GetDecimal();
        var month = page.Locator("#contract-months").GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = thisMonth }) });
        await Assertions.Expect(month).ToHaveCountAsync(1);
        await Assertions.Expect(month.GetByRole(AriaRole.Cell).Nth(0)).ToHaveTextAsync(sold.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(month.GetByRole(AriaRole.Cell).Last).ToContainTextAsync($"DE {revenue.ToString("N2", CultureInfo.InvariantCulture)} EUR");
        await Assertions.Expect(page.Locator("#contract-months").GetByRole(AriaRole.Row)).ToHaveCountAsync(7);

        // The contract, typed from the keyboard: term, price, payment and both claims as decided.
        await page.GetByLabel("Contract id").FillAsync(contractId);
        await page.GetByLabel("Contract id").PressAsync("Enter");
        var contract = page.GetByRole(AriaRole.Region, new() { Name = $"Contract {contractId}" });
        await Assertions.Expect(contract.Locator("#contract-state")).ToHaveTextAsync("active");
        await Assertions.Expect(contract.Locator("#contract-price")).ToContainTextAsync("595.00 EUR in DE");
        await Assertions.Expect(contract.Locator("#contract-payments")).ToHaveTextAsync("paid once, 595.00 EUR");
        await Assertions.Expect(contract.Locator("#contract-term")).ToContainTextAsync("or 70,000 km, whichever comes first");
        await Assertions.Expect(contract).ToContainTextAsync($"{customer}, accepted as “Dora Deutsch”");
        var claims = contract.Locator("#contract-claims").GetByRole(AriaRole.Row);
        await Assertions.Expect(claims).ToHaveCountAsync(3);
        var gearbox = claims.Filter(new() { HasText = "Gearbox bearing replaced" });
        await Assertions.Expect(gearbox).ToContainTextAsync("Accepted");
        await Assertions.Expect(gearbox).ToContainTextAsync("750.00 EUR");
        await Assertions.Expect(gearbox).ToContainTextAsync("workshop job job-console-1");
        await Assertions.Expect(claims.Filter(new() { HasText = "Four tyres" })).ToContainTextAsync("Rejected:");
        await Assertions.Expect(contract.GetByRole(AriaRole.Link, new() { Name = "the signed PDF" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^http"));

        // What the screen shows is what is stored: the API answers the same two decisions.
        using var staff = await console.ClientAsync("console-test-staff", "dealer-staff");
        using var stored = JsonDocument.Parse(await staff.GetStringAsync($"/api/service-contracts/{contractId}", TestContext.Current.CancellationToken));
        var decisions = stored.RootElement.GetProperty("contract").GetProperty("claims").EnumerateArray()
            .Select(c => (c.GetProperty("coverageItem").GetString(), c.GetProperty("decision").GetString(), c.GetProperty("payable").GetDecimal())).ToList();
        Assert.Equal([("gearbox", "Accepted", 750m), ("tyres", "Rejected", 0m)], decisions);
        await ConsolePages.AssertAccessibleAsync(page, "service contracts");
        await ConsolePages.ScreenshotAsync(page, "service-contracts");

        // A month that does not exist: the API's problem is shown, and the figures already read stay as they were.
        await page.GetByLabel("From (YYYY-MM)").FillAsync("2026-13");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the months" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("400");
        await Assertions.Expect(month.GetByRole(AriaRole.Cell).Nth(0)).ToHaveTextAsync(sold.ToString(CultureInfo.InvariantCulture));
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (a bad month)");

        // An id nobody sold: a 404 in words, not an empty page.
        await page.GetByLabel("Contract id").FillAsync("no-such-contract");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Last).ToContainTextAsync("404");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = $"Contract {contractId}" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task DealerStaff_PricesAContract_TheCustomerAccepts_ThenStaffRecordAClaim_AskARenewalTooEarly_AndCancel_AsTheApiStoresThem()
    {
        var productId = await console.CreateServiceContractProductAsync();
        var customer = "sc-" + Guid.NewGuid().ToString("N")[..10];
        var vin = ConsoleHost.NewVin();
        var firstRegistered = DateTime.UtcNow.AddYears(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-seller", "dealer-staff");
        // The first screen up means the app handles its links: a click before that is a page load that starts a new, signed-out session.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Service contracts" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Service contracts", Level = 1 })).ToBeFocusedAsync();
        var sell = page.GetByRole(AriaRole.Region, new() { Name = "Sell a contract" });
        var form = sell.GetByRole(AriaRole.Form, new() { Name = "Price a contract for a customer" });
        await form.GetByLabel("Product id").FillAsync(productId);
        await form.GetByLabel("Customer id").FillAsync(customer);
        await form.GetByLabel("Country").SelectOptionAsync("DE");
        await form.GetByLabel("VIN").FillAsync("NOT-A-VIN");
        await form.GetByLabel("Model").FillAsync("aurora-s");
        await form.GetByLabel("First registered").FillAsync(firstRegistered);
        await form.GetByLabel("Odometer (km)").FillAsync("-5");

        // Refused: the API's 400 beside the form, naming both fields it refused; the form keeps what was typed, and no price is shown.
        await form.GetByRole(AriaRole.Button, new() { Name = "Get the price" }).ClickAsync();
        var refusal = sell.GetByRole(AriaRole.Alert);
        await Assertions.Expect(refusal).ToContainTextAsync("(400)");
        await Assertions.Expect(refusal.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "vin" })).ToHaveCountAsync(1);
        await Assertions.Expect(refusal.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "odometerKm" })).ToHaveCountAsync(1);
        await Assertions.Expect(refusal.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Assertions.Expect(form.GetByLabel("VIN")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(form.GetByLabel("Product id")).ToHaveValueAsync(productId);
        await Assertions.Expect(form.GetByLabel("Customer id")).ToHaveValueAsync(customer);
        await Assertions.Expect(form.GetByLabel("First registered")).ToHaveValueAsync(firstRegistered);
        await Assertions.Expect(form.GetByLabel("Odometer (km)")).ToHaveValueAsync("-5");
        await Assertions.Expect(page.Locator("#quote-price")).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (a refused price)");

        // Corrected: the price with the country's tax, line by line; the quote waits for the customer.
        await form.GetByLabel("VIN").FillAsync(vin);
        await form.GetByLabel("Odometer (km)").FillAsync("30000");
        await form.GetByRole(AriaRole.Button, new() { Name = "Get the price" }).ClickAsync();
        await Assertions.Expect(sell.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#quote-price")).ToHaveTextAsync("595.00 EUR");
        await Assertions.Expect(page.Locator("#quote-lines").GetByRole(AriaRole.Row).Filter(new() { HasText = "USt." })).ToContainTextAsync("95.00 EUR");
        await Assertions.Expect(page.Locator("#quote-payment")).ToHaveTextAsync("once, 595.00 EUR at the sale");
        var quoteId = await page.Locator("#quote-id").TextContentAsync();
        Assert.NotNull(quoteId);
        var openContract = sell.GetByRole(AriaRole.Button, new() { Name = "Open the contract once the customer has accepted" });
        await openContract.ClickAsync();
        await Assertions.Expect(sell.GetByRole(AriaRole.Status)).ToContainTextAsync($"Not accepted yet. {customer} can accept it");
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (a price)");

        // The customer accepts in their app; the price is collected; the screen opens the contract the acceptance made.
        var contractId = await console.AcceptServiceContractQuoteAsync(customer, "Erika Muster", quoteId);
        await console.WaitForServiceContractPaymentAsync(contractId);
        await openContract.ClickAsync();
        var contract = page.GetByRole(AriaRole.Region, new() { Name = $"Contract {contractId}" });
        await Assertions.Expect(contract.Locator("#contract-state")).ToHaveTextAsync("active");
        await Assertions.Expect(contract.Locator("#contract-payments")).ToHaveTextAsync("paid once, 595.00 EUR");
        await Assertions.Expect(page.GetByLabel("Contract id")).ToHaveValueAsync(contractId);

        // A claim at the counter: decided by the API and listed with its decision.
        var claimForm = contract.GetByRole(AriaRole.Form, new() { Name = "Record a claim" });
        await claimForm.GetByLabel("Coverage item").SelectOptionAsync(new SelectOptionValue { Label = "Gearbox" });
        await claimForm.GetByLabel("Cost of the work (EUR)").FillAsync("800");
        await claimForm.GetByLabel("Odometer at the repair (km)").FillAsync("31000");
        await claimForm.GetByLabel("What was repaired").FillAsync("Gearbox bearing replaced at the counter");
        var claimRequest = await page.RunAndWaitForRequestAsync(() => claimForm.GetByRole(AriaRole.Button, new() { Name = "Record the claim" }).ClickAsync(),
            r => r.Method == "POST" && r.Url.EndsWith($"/api/service-contracts/{contractId}/claims", StringComparison.Ordinal));
        // A resend after a lost answer must not file the claim twice: the API makes a POST once per key.
        Assert.Matches("^[0-9a-f]{32}$", await claimRequest.HeaderValueAsync("idempotency-key"));
        await Assertions.Expect(contract.Locator("#claim-note")).ToHaveTextAsync("Claim claim-1 accepted: the contract pays 750.00 EUR.");
        var claimRow = contract.Locator("#contract-claims").GetByRole(AriaRole.Row).Filter(new() { HasText = "Gearbox bearing replaced at the counter" });
        await Assertions.Expect(claimRow).ToContainTextAsync("Accepted");
        await Assertions.Expect(claimRow).ToContainTextAsync("750.00 EUR");
        await Assertions.Expect(claimRow).ToContainTextAsync("by console-seller");
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (a claim recorded)");

        // Renewal: the screen says when it opens and that the customer has not consented; asked anyway, the API's 422 says why not, and nothing changes.
        var endsAt = (await console.ServiceContractAsync(contractId)).GetProperty("contract").GetProperty("endsAt").GetDateTimeOffset();
        await Assertions.Expect(contract.Locator("#renewal-rule")).ToContainTextAsync(
            $"Renewal is open from {endsAt.AddDays(-60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to the end of the term");
        await Assertions.Expect(contract.Locator("#renewal-rule")).ToContainTextAsync("The customer has not consented to renewal");
        await contract.GetByLabel("Odometer now (km)").FillAsync("32000");
        await contract.GetByRole(AriaRole.Button, new() { Name = "Renew the contract…" }).ClickAsync();
        var renew = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Renew this contract?" });
        await Assertions.Expect(renew).ToContainTextAsync("priced by the API for 32,000 km");
        await renew.GetByRole(AriaRole.Button, new() { Name = "Yes, renew the contract" }).ClickAsync();
        var renewRefusal = contract.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Renewal opens" });
        await Assertions.Expect(renewRefusal).ToContainTextAsync("(422)");
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (a refused renewal)");
        var unrenewed = (await console.ServiceContractAsync(contractId)).GetProperty("contract");
        Assert.Equal(endsAt, unrenewed.GetProperty("endsAt").GetDateTimeOffset());
        Assert.False(unrenewed.TryGetProperty("renewals", out var renewals) && renewals.ValueKind == JsonValueKind.Array && renewals.GetArrayLength() > 0,
            $"Contract {contractId} was renewed although the API refused it: {renewals}");

        // A cancellation without a reason, confirmed: the API refuses it, the contract stays active (read from the API below).
        var cancel = contract.GetByRole(AriaRole.Button, new() { Name = "Cancel the contract…" });
        await cancel.ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Cancel this contract?" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the contract" }).ClickAsync();
        await Assertions.Expect(contract.GetByRole(AriaRole.Alert).Filter(new() { HasText = "reason" })).ToContainTextAsync("(400)");
        await Assertions.Expect(contract.Locator("#contract-state")).ToHaveTextAsync("active");
        Assert.Equal("active", (await console.ServiceContractAsync(contractId)).GetProperty("state").GetString());

        // With a reason: the question says the refund rule (inside the cooling-off period: everything paid), the answer the refund.
        await contract.GetByLabel("Reason").FillAsync("The customer sold the car");
        await cancel.ClickAsync();
        await Assertions.Expect(confirm).ToContainTextAsync("inside the 14-day cooling-off period in DE");
        await Assertions.Expect(confirm).ToContainTextAsync("everything paid this term is refunded");
        await Assertions.Expect(confirm).ToContainTextAsync("“The customer sold the car”");
        await Assertions.Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the contract" })).ToBeFocusedAsync();
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (confirm the cancellation)");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the contract" }).ClickAsync();
        await Assertions.Expect(contract.Locator("#contract-state")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(contract.Locator("#cancel-note")).ToContainTextAsync($"Contract {contractId} cancelled: refund 595.00 EUR.");
        await Assertions.Expect(contract.Locator("#contract-cancellation")).ToContainTextAsync("by console-seller (“The customer sold the car”): refund 595.00 EUR");
        await Assertions.Expect(contract.GetByRole(AriaRole.Button, new() { Name = "Cancel the contract…" })).ToHaveCountAsync(0);
        await Assertions.Expect(contract.GetByRole(AriaRole.Form, new() { Name = "Record a claim" })).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (cancelled)");
        await ConsolePages.ScreenshotAsync(page, "service-contracts-cancelled");

        // What the screen showed is what is stored: the state, the one claim as decided, the cancellation and its refund.
        var stored = await console.ServiceContractAsync(contractId);
        Assert.Equal("cancelled", stored.GetProperty("state").GetString());
        var storedContract = stored.GetProperty("contract");
        Assert.Equal(quoteId, storedContract.GetProperty("quoteId").GetString());
        Assert.Equal(vin, storedContract.GetProperty("vehicle").GetProperty("vin").GetString());
        var claims = storedContract.GetProperty("claims").EnumerateArray()
            .Select(c => (c.GetProperty("coverageItem").GetString(), c.GetProperty("amount").GetDecimal(), c.GetProperty("decision").GetString(), c.GetProperty("payable").GetDecimal(),
                c.GetProperty("claimedBy").GetString()))
            .ToList();
        Assert.Equal([("gearbox", 800m, "Accepted", 750m, "console-seller")], claims);
        var cancellation = storedContract.GetProperty("cancellation");
        Assert.Equal(595m, cancellation.GetProperty("refund").GetDecimal());
        Assert.Equal("The customer sold the car", cancellation.GetProperty("reason").GetString());
        Assert.Equal("console-seller", cancellation.GetProperty("cancelledBy").GetString());
        Assert.True(cancellation.GetProperty("withinCoolingOff").GetBoolean());
    }

    [Fact]
    public async Task Admin_ReadsAContract_WithoutTheSellClaimAndCancelControlsTheApiRefusesAdmins()
    {
        var customer = "sc-" + Guid.NewGuid().ToString("N")[..10];
        var contractId = await console.SellServiceContractWithClaimsAsync(customer, "Anna Admin-Read");

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-admin", "admin");
        await ConsolePages.OpenInAppAsync(page, "/service-contracts");
        await page.GetByLabel("Contract id").FillAsync(contractId);
        await page.GetByLabel("Contract id").PressAsync("Enter");
        var contract = page.GetByRole(AriaRole.Region, new() { Name = $"Contract {contractId}" });
        await Assertions.Expect(contract.Locator("#contract-state")).ToHaveTextAsync("active");
        await Assertions.Expect(contract.Locator("#contract-claims").GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Sell a contract" })).ToHaveCountAsync(0);
        await Assertions.Expect(contract.GetByRole(AriaRole.Form, new() { Name = "Record a claim" })).ToHaveCountAsync(0);
        await Assertions.Expect(contract.GetByRole(AriaRole.Button, new() { Name = "Cancel the contract…" })).ToHaveCountAsync(0);

        // The API refuses admins these changes: what the screen hides is what the API would refuse.
        using var admin = await console.ClientAsync("console-admin", "admin");
        using var refused = await admin.PostAsJsonAsync($"/api/service-contracts/{contractId}/cancellation", new { reason = "not allowed" }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("agent")]
    public async Task ServiceContracts_WithoutADealerOrAdminRole_IsNeitherLinkedNorShown(string role)
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, $"console-{role}", role);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workflows" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Service contracts" })).ToHaveCountAsync(0);
        await ConsolePages.OpenInAppAsync(page, "/service-contracts");
        await Assertions.Expect(page.GetByText("Service contracts are for dealership staff and administrators")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#contract-months")).ToHaveCountAsync(0);
    }
}
