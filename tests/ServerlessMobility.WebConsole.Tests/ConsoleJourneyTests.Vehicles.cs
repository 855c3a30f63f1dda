using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The live vehicles screen: watched vehicles' telemetry as a table and the same positions drawn on a canvas.</summary>
public sealed partial class ConsoleJourneyTests
{
    [Fact]
    public async Task DealerStaff_WatchesVehicles_ReadsThemLiveInTheListAndOnTheMap_AndCanPauseTheUpdates()
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-live", "dealer-staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Live vehicles" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live vehicles", Level = 1 })).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "No vehicle watched yet" })).ToBeVisibleAsync();

        // The dealership's vehicles are listed (GET /api/vehicles): the demo fleet, each with its own watch button.
        var fleet = page.Locator("#fleet-list");
        foreach (var demo in new[] { OwnedDemoVin, MovingVin, ParkedVin })
        {
            await Assertions.Expect(fleet.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = demo }) })).ToHaveCountAsync(1);
        }

        // The API decides which vehicles may be watched: another dealership's (or no) vehicle is its 404.
        var vin = page.GetByLabel("Vehicle identification number (VIN)");
        await vin.FillAsync("WZZZZ000000000099");
        await page.GetByRole(AriaRole.Button, new() { Name = "Watch", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("(404)");
        await Assertions.Expect(page.Locator("#vehicle-list")).ToHaveCountAsync(0);

        var list = page.GetByRole(AriaRole.Table).Filter(new() { HasText = "watched vehicle(s)" });
        var moving = list.GetByRole(AriaRole.Row).Filter(new() { HasText = OwnedDemoVin });
        var parked = list.GetByRole(AriaRole.Row).Filter(new() { HasText = ParkedVin });
        await vin.FillAsync(OwnedDemoVin);
        await vin.PressAsync("Enter");
        await Assertions.Expect(moving).ToHaveCountAsync(1);
        await Assertions.Expect(vin).ToHaveValueAsync("");
        await vin.FillAsync(ParkedVin.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Watch", Exact = true }).ClickAsync();
        await Assertions.Expect(moving).ToContainTextAsync("Moving");
        await Assertions.Expect(moving).ToContainTextAsync("Munich area (allowed): inside");
        await Assertions.Expect(parked).ToContainTextAsync("0 km/h");
        await Assertions.Expect(parked).ToContainTextAsync("Standing still");

        // Picked from the dealership's list instead of typed: watched, and its button gives way to "Watched".
        var second = list.GetByRole(AriaRole.Row).Filter(new() { HasText = MovingVin });
        await fleet.GetByRole(AriaRole.Button, new() { Name = $"Watch {MovingVin}" }).ClickAsync();
        await Assertions.Expect(second).ToHaveCountAsync(1);
        await Assertions.Expect(second).Not.ToContainTextAsync("Reading…");
        await Assertions.Expect(fleet.GetByRole(AriaRole.Button, new() { Name = $"Watch {MovingVin}" })).ToHaveCountAsync(0);
        await Assertions.Expect(fleet.GetByRole(AriaRole.Row).Filter(new() { HasText = MovingVin })).ToContainTextAsync("Watched");

        // The list is read again on its own: the moving vehicle's position changes.
        var position = moving.GetByRole(AriaRole.Cell).First;
        var before = await position.TextContentAsync();
        await Assertions.Expect(position).Not.ToHaveTextAsync(before!, new() { Timeout = 20_000 });

        // The map is drawn: the moving vehicles' colour (the accent, #003d7a) and the parked one's (#1a1a1a) are on the canvas.
        const string countPixels = "([r, g, b]) => { const c = document.getElementById('vehicle-map'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] === r && d[i + 1] === g && d[i + 2] === b) n++; } return n; }";
        Assert.True(await page.EvaluateAsync<int>(countPixels, new[] { 0x00, 0x3d, 0x7a }) > 50, "the moving vehicle is not drawn on the map");
        Assert.True(await page.EvaluateAsync<int>(countPixels, new[] { 0x1a, 0x1a, 0x1a }) > 50, "the parked vehicle is not drawn on the map");
        await ConsolePages.AssertAccessibleAsync(page, "live vehicles");
        await ConsolePages.ScreenshotAsync(page, "live-vehicles");

        // Pausing stops the updates (WCAG 2.2.2): the position stays as it is.
        var pause = page.GetByRole(AriaRole.Button, new() { Name = "Pause live updates" });
        await pause.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume live updates" })).ToHaveAttributeAsync("aria-pressed", "true");
        var paused = await position.TextContentAsync();
        await Task.Delay(TimeSpan.FromSeconds(7), TestContext.Current.CancellationToken);
        await Assertions.Expect(position).ToHaveTextAsync(paused!);

        // The watch list stays for the tab; a vehicle can be dropped from it.
        await page.ReloadAsync();
        await Assertions.Expect(parked).ToContainTextAsync("Standing still");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Stop watching {ParkedVin}" }).ClickAsync();
        await Assertions.Expect(parked).ToHaveCountAsync(0);
        await Assertions.Expect(moving).ToHaveCountAsync(1);
    }
}
