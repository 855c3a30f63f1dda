using Microsoft.Playwright;
using ServerlessMobility.Testing;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The features screen: what a vehicle may have over the air and what its owner bought, read by dealer staff.</summary>
public sealed partial class ConsoleJourneyTests
{
    private const string OwnedDemoVin = "WDEMX000000000001";

    [Fact]
    public async Task DealerStaff_ReadsAVehiclesFeatures_WithWhyOneCannotBeBought_AndThePurchaseWithItsState()
    {
        var purchase = await console.BuyFeatureAsync(OwnedDemoVin, "heated-seats");
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();

        // The browser loads the console and signs in while the vehicle confirms the activation: neither waits for the other.
        var activation = Eventually.UntilAsync(() => console.FeatureStateAsync(OwnedDemoVin, purchase), s => s is "Active" or "Failed",
            "the vehicle to confirm the activation", TimeSpan.FromSeconds(90), cancellation: CancellationToken.None);
        await Task.WhenAll(activation, SignInAsync());
        Assert.Equal("Active", await activation);

        await page.GetByRole(AriaRole.Link, new() { Name = "Features", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Over-the-air features", Level = 1 })).ToBeFocusedAsync();

        // No VIN, no request.
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A VIN is required");

        await page.GetByLabel("Vehicle identification number (VIN)").FillAsync(OwnedDemoVin.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var vehicle = page.GetByRole(AriaRole.Region, new() { Name = $"Features of {OwnedDemoVin}" });
        await Assertions.Expect(vehicle).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        var offers = vehicle.GetByRole(AriaRole.Table).First;
        await Assertions.Expect(offers.GetByRole(AriaRole.Row).Filter(new() { HasText = "Heated seats" })).ToContainTextAsync("Active");
        await Assertions.Expect(offers.GetByRole(AriaRole.Row).Filter(new() { HasText = "Performance mode" }))
            .ToContainTextAsync("No: Needs firmware 3.0 or newer; the vehicle runs 2.6.0.");
        await Assertions.Expect(offers.GetByRole(AriaRole.Row).Filter(new() { HasText = "Adaptive cruise control" })).ToContainTextAsync("Yes");

        var purchases = vehicle.GetByRole(AriaRole.Table).Last;
        var row = purchases.GetByRole(AriaRole.Row).Filter(new() { HasText = "Heated seats" }).First;
        await Assertions.Expect(row).ToContainTextAsync("demo-customer");
        await Assertions.Expect(row).ToContainTextAsync("Active");
        await Assertions.Expect(row.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("Requested");

        // Dealer staff read; buying and cancelling are the owner's, in the app.
        await Assertions.Expect(vehicle.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "features");
        await ConsolePages.ScreenshotAsync(page, "features");

        async Task SignInAsync()
        {
            await ConsolePages.SignInAsync(page, "console-features", "dealer-staff");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task Features_OfAVehicleNotInTheDealership_IsTheApisNotFound()
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-features-404", "dealer-admin");
        await ConsolePages.OpenInAppAsync(page, "/features?vin=WZZZZ000000000099");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("(404)");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Features of WZZZZ000000000099" })).ToHaveCountAsync(0);
    }
}
