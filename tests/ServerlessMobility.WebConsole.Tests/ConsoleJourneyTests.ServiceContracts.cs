using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The service contracts screen: the month by month figures and one contract with its payment and claims.</summary>
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

        // The last six months, newest first: this month has the sale and its collected price.
        var month = page.Locator("#contract-months").GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = thisMonth }) });
        await Assertions.Expect(month).ToHaveCountAsync(1);
        await Assertions.Expect(month.GetByRole(AriaRole.Cell).Nth(0)).ToHaveTextAsync("1");
        await Assertions.Expect(month.GetByRole(AriaRole.Cell).Last).ToContainTextAsync("DE 595.00 EUR");
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
        await Assertions.Expect(month.GetByRole(AriaRole.Cell).Nth(0)).ToHaveTextAsync("1");
        await ConsolePages.AssertAccessibleAsync(page, "service contracts (a bad month)");

        // An id nobody sold: a 404 in words, not an empty page.
        await page.GetByLabel("Contract id").FillAsync("no-such-contract");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Last).ToContainTextAsync("404");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = $"Contract {contractId}" })).ToHaveCountAsync(0);
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
        await page.GotoAsync("/service-contracts");
        await Assertions.Expect(page.GetByText("Service contracts are for dealership staff and administrators")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#contract-months")).ToHaveCountAsync(0);
    }
}
