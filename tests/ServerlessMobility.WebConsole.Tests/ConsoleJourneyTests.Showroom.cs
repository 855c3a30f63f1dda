using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The showroom's screens: the stock, live from its change stream; the sales leaderboard, live; a lead's score explained.</summary>
public sealed partial class ConsoleJourneyTests
{
    [Fact]
    public async Task DealerStaff_SeesTheStock_ACarAddedElsewhereAppearsLive_AndSearchesItWithFacetCounts()
    {
        // A word only this run's cars have in their description: the search finds them and nothing of earlier runs.
        var word = "run" + Guid.NewGuid().ToString("N")[..10];
        var tesla = ConsoleHost.NewVin();
        var bmw = ConsoleHost.NewVin();
        var hyundai = ConsoleHost.NewVin();
        await console.AddStockVehicleAsync(tesla, "Tesla", "Model 3", "Electric", 38_900m, $"Console journey {word}");
        await console.AddStockVehicleAsync(bmw, "BMW", "320i", "Petrol", 29_990m, $"Console journey {word}");

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-stock", "dealer-staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Stock", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stock", Level = 1 })).ToBeFocusedAsync();

        var list = page.Locator("#stock-list");
        var teslaRow = list.GetByRole(AriaRole.Row).Filter(new() { HasText = tesla });
        await Assertions.Expect(teslaRow).ToContainTextAsync("Tesla");
        await Assertions.Expect(teslaRow).ToContainTextAsync("Model 3");
        await Assertions.Expect(teslaRow).ToContainTextAsync("2024");
        await Assertions.Expect(teslaRow).ToContainTextAsync("38,900.00 EUR");
        await Assertions.Expect(teslaRow).ToContainTextAsync("Available");
        await Assertions.Expect(teslaRow).ToContainTextAsync("added today");
        await Assertions.Expect(list.GetByRole(AriaRole.Row).Filter(new() { HasText = bmw })).ToContainTextAsync("29,990.00 EUR");

        // Someone else adds a car while the screen is open: it appears without a reload, and is announced politely.
        await Assertions.Expect(page.Locator("#stock-live-state")).ToContainTextAsync("Live:");
        await console.AddStockVehicleAsync(hyundai, "Hyundai", "Ioniq 5", "Electric", 35_000m, $"Console journey {word}");
        var hyundaiRow = list.GetByRole(AriaRole.Row).Filter(new() { HasText = hyundai });
        await Assertions.Expect(hyundaiRow).ToContainTextAsync("Ioniq 5", new() { Timeout = 15_000 });
        await Assertions.Expect(hyundaiRow).ToContainTextAsync("changed live");
        var announcement = page.Locator("#stock-announcement");
        await Assertions.Expect(announcement).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(announcement).ToHaveTextAsync($"Hyundai Ioniq 5 {hyundai} added to the stock, Available.");

        // The search and its counts: this run's three cars, two electric; choosing "Electric" narrows to them.
        await page.GetByLabel("Search (make, model, trim, colour, description)").FillAsync(word);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(list.Locator("caption")).ToContainTextAsync("3 car(s) matching the search");
        var makes = page.GetByRole(AriaRole.Group, new() { Name = "Make" });
        await Assertions.Expect(makes.GetByRole(AriaRole.Button, new() { Name = "Tesla (1)" })).ToBeVisibleAsync();
        await Assertions.Expect(makes.GetByRole(AriaRole.Button, new() { Name = "BMW (1)" })).ToBeVisibleAsync();
        var prices = page.GetByRole(AriaRole.Group, new() { Name = "Price" });
        await Assertions.Expect(prices.GetByRole(AriaRole.Button, new() { Name = "20,000 to 30,000 (1)" })).ToBeVisibleAsync();
        await Assertions.Expect(prices.GetByRole(AriaRole.Button, new() { Name = "30,000 to 50,000 (2)" })).ToBeVisibleAsync();
        var electric = page.GetByRole(AriaRole.Group, new() { Name = "Fuel" }).GetByRole(AriaRole.Button, new() { Name = "Electric (2)" });
        await electric.ClickAsync();
        await Assertions.Expect(electric).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(list.Locator("caption")).ToContainTextAsync("2 car(s) matching the search");
        await Assertions.Expect(list.GetByRole(AriaRole.Row).Filter(new() { HasText = bmw })).ToHaveCountAsync(0);
        await Assertions.Expect(teslaRow).ToHaveCountAsync(1);
        await ConsolePages.AssertAccessibleAsync(page, "stock");
        await ConsolePages.ScreenshotAsync(page, "showroom-stock");
    }

    [Fact]
    public async Task DealerAdmin_ChangesACarsStatus_OnlyAfterConfirming_AndCancellingChangesNothing()
    {
        var vin = ConsoleHost.NewVin();
        await console.AddStockVehicleAsync(vin, "Volkswagen", "ID.3", "Electric", 33_900m, "Console journey status change");

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-stock-admin", "dealer-admin");
        await ConsolePages.OpenInAppAsync(page, "/showroom");
        var row = page.Locator("#stock-list").GetByRole(AriaRole.Row).Filter(new() { HasText = vin });
        await Assertions.Expect(row).ToContainTextAsync("Available");

        // Asked, then cancelled: nothing changes, on the screen or in the API.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Make demo… {vin}" }).ClickAsync();
        var question = page.GetByRole(AriaRole.Alertdialog, new() { Name = $"Make {vin} a demo car?" });
        await Assertions.Expect(question).ToContainTextAsync("customers stop seeing it");
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Yes, make it a demo car" })).ToBeFocusedAsync();
        await ConsolePages.AssertAccessibleAsync(page, "stock (confirming a status change)");
        await ConsolePages.ScreenshotAsync(page, "showroom-confirm-status");
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(question).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToContainTextAsync("Available");
        Assert.Equal("Available", await console.StockStatusAsync(vin));

        // Asked and confirmed from the keyboard: the API has the car as a demo car.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Make demo… {vin}" }).ClickAsync();
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Yes, make it a demo car" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Volkswagen ID.3 {vin} is now Demo car." })).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("Demo car");
        Assert.Equal("Demo", await console.StockStatusAsync(vin));
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Make available… {vin}" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Showroom_WithoutADealerRole_IsNeitherLinkedNorShown()
    {
        var vin = ConsoleHost.NewVin();
        await console.AddStockVehicleAsync(vin, "Skoda", "Enyaq", "Electric", 41_500m, "Console journey not for operators");

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-stock-ops", "operator", "agent");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workflows" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Stock", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Leaderboard" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Leads", Exact = true })).ToHaveCountAsync(0);

        await ConsolePages.OpenInAppAsync(page, "/showroom");
        await Assertions.Expect(page.GetByText("The showroom's stock is for dealership staff")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(vin)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Make demo… {vin}" })).ToHaveCountAsync(0);
        await ConsolePages.OpenInAppAsync(page, "/leaderboard");
        await Assertions.Expect(page.GetByText("The sales leaderboard is for dealership staff")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        await ConsolePages.OpenInAppAsync(page, "/leads");
        await Assertions.Expect(page.GetByText("Leads are for dealership staff")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Leaderboard_MovesLive_AsALeadIsCapturedAndBooksATestDrive_AndTheLeadsScoreIsExplained()
    {
        var salesperson = "console-seller-" + Guid.NewGuid().ToString("N")[..8];
        var name = "Sam " + salesperson[^8..];
        await console.AddSalespersonAsync(salesperson, name);

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-board", "dealer-staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Leaderboard" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sales leaderboard", Level = 1 })).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "This week" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("#leaderboard-live-state")).ToContainTextAsync("Live:");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToHaveCountAsync(0);

        // A walk-in captured through the API: the board moves by itself and says so.
        var leadId = await console.CaptureLeadAsync(salesperson, "Ada Buyer");
        var announcement = page.Locator("#leaderboard-announcement");
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("5", new() { Timeout = 15_000 });
        await Assertions.Expect(announcement).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(announcement).ToContainTextAsync($"{name} +5 points: lead captured.");

        // A call and a test drive booked: 2 and 10 more points.
        await console.BookTestDriveAsync(salesperson, leadId);
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("17", new() { Timeout = 15_000 });
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("1");
        await Assertions.Expect(announcement).ToContainTextAsync($"{name} +10 points: test drive booked.");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Latest points" })).ToContainTextAsync($"{name} +5 points: lead captured.");
        await ConsolePages.AssertAccessibleAsync(page, "leaderboard");
        await ConsolePages.ScreenshotAsync(page, "leaderboard");

        // The lead behind the points, scored and explained in words.
        await page.GetByRole(AriaRole.Link, new() { Name = $"score of lead {leadId}" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lead score", Level = 1 })).ToBeVisibleAsync();
        var score = page.GetByRole(AriaRole.Region, new() { Name = "Lead Ada Buyer" });
        await Assertions.Expect(score.Locator("#lead-probability")).ToContainTextAsync("Chance of a sale", new() { Timeout = 30_000 });
        await Assertions.Expect(score).ToContainTextAsync("Stage: Test drive");
        await Assertions.Expect(score.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(11);
        await Assertions.Expect(score.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Took a test drive (yes)" })).ToHaveCountAsync(1);
        await Assertions.Expect(score.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Finance pre-approved (yes)" })).ToHaveCountAsync(1);
        await ConsolePages.AssertAccessibleAsync(page, "lead score");
        await ConsolePages.ScreenshotAsync(page, "lead-score");
    }
}
