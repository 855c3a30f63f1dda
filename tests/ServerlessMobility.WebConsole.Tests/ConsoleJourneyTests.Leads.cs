using System.Text.Json;
using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The leads screen: a walk-in captured at the desk, worked through the funnel with its history, and a move the API refuses.</summary>
public sealed partial class ConsoleJourneyTests
{
    [Fact]
    public async Task DealerStaff_CapturesAWalkIn_MovesItThroughTheFunnel_LogsACall_AndSeesARefusedMove()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var name = "Walk In " + run;
        var email = $"walkin-{run}@example.test";

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-leads", "dealer-staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Leads", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Level = 1 })).ToBeVisibleAsync();

        // Without an e-mail or phone the API refuses the capture, names the field, and the form keeps what was typed.
        var capture = page.GetByRole(AriaRole.Form, new() { Name = "Capture a walk-in" });
        await capture.GetByLabel("Name").FillAsync(name);
        await capture.GetByLabel("Interested in (stock car id)").FillAsync("veh-console-golf");
        await capture.GetByRole(AriaRole.Button, new() { Name = "Capture the walk-in" }).ClickAsync();
        var captureSection = page.GetByRole(AriaRole.Region, new() { Name = "Capture a walk-in" });
        await Assertions.Expect(captureSection.GetByRole(AriaRole.Alert)).ToContainTextAsync("email");
        await Assertions.Expect(capture.GetByLabel("E-mail")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(capture.GetByLabel("Name")).ToHaveValueAsync(name);

        await capture.GetByLabel("E-mail").FillAsync(email);
        await capture.GetByRole(AriaRole.Button, new() { Name = "Capture the walk-in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#capture-note")).ToContainTextAsync($"{name} captured as a new lead");
        await Assertions.Expect(capture.GetByLabel("Name")).ToHaveValueAsync("");
        var row = page.Locator("#leads-New").GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("Walk-in");
        await Assertions.Expect(row).ToContainTextAsync("veh-console-golf");

        // Opened from the list: the lead's panel, its moves and its history.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Open lead {name}" }).ClickAsync();
        var detail = page.GetByRole(AriaRole.Region, new() { Name = $"Lead {name}" });
        await Assertions.Expect(detail.Locator("#lead-stage")).ToHaveTextAsync("New");
        await Assertions.Expect(detail).ToContainTextAsync(email);
        var leadId = (await detail.Locator("#lead-id").TextContentAsync())!;
        await Assertions.Expect(detail.GetByRole(AriaRole.Link, new() { Name = $"score of lead {name}" })).ToHaveAttributeAsync("href", $"lead-score?id={leadId}");
        await ConsolePages.AssertAccessibleAsync(page, "leads");
        await ConsolePages.ScreenshotAsync(page, "leads");

        await detail.GetByRole(AriaRole.Button, new() { Name = "Contacted" }).ClickAsync();
        await Assertions.Expect(detail.Locator("#lead-stage")).ToHaveTextAsync("Contacted");
        await Assertions.Expect(detail.Locator("#move-note")).ToHaveTextAsync($"{name} is now Contacted.");
        await Assertions.Expect(page.Locator("#leads-Contacted").GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToHaveCountAsync(1);

        await detail.GetByLabel("Activity", new() { Exact = true }).SelectOptionAsync("Call");
        await detail.GetByLabel("Note", new() { Exact = true }).FillAsync("Asked about financing");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Log it" }).ClickAsync();
        await Assertions.Expect(detail.Locator("#activity-done")).ToContainTextAsync("Call logged");
        await Assertions.Expect(detail.Locator("#lead-history")).ToContainTextAsync("Call: Asked about financing (by console-leads)");
        await Assertions.Expect(detail.Locator("#lead-history")).ToContainTextAsync("moved from New to Contacted");

        // Lost asks for a reason first, and the reason is kept in the history.
        await detail.GetByRole(AriaRole.Button, new() { Name = "Lost…" }).ClickAsync();
        var markLost = detail.GetByRole(AriaRole.Button, new() { Name = "Mark the lead lost" });
        await Assertions.Expect(markLost).ToBeDisabledAsync();
        await detail.GetByLabel("Why was the lead lost? (kept in its history)").FillAsync("Bought elsewhere");
        await ConsolePages.AssertAccessibleAsync(page, "leads (marking a lead lost)");
        await markLost.ClickAsync();
        await Assertions.Expect(detail.Locator("#lead-stage")).ToHaveTextAsync("Lost");
        await Assertions.Expect(detail.Locator("#lead-history")).ToContainTextAsync("moved from Contacted to Lost (Bought elsewhere)");
        await Assertions.Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Contacted" })).ToHaveCountAsync(0);

        // The stored lead, as the API answers it.
        using (var staff = await console.ClientAsync("console-leads", "dealer-staff"))
        {
            using var stored = JsonDocument.Parse(await staff.GetStringAsync($"/api/showroom/leads/{leadId}", TestContext.Current.CancellationToken));
            var lead = stored.RootElement;
            Assert.Equal("Lost", lead.GetProperty("stage").GetString());
            Assert.Equal("WalkIn", lead.GetProperty("source").GetString());
            Assert.Equal(email, lead.GetProperty("email").GetString());
            Assert.Equal("veh-console-golf", lead.GetProperty("vehicleOfInterest").GetString());
            Assert.Contains(lead.GetProperty("activities").EnumerateArray(), a => a.GetProperty("kind").GetString() == "Call" && a.GetProperty("note").GetString() == "Asked about financing");
            Assert.Equal("Bought elsewhere", lead.GetProperty("stageHistory").EnumerateArray().Last().GetProperty("reason").GetString());
        }

        // Another desk books a test drive for a lead this screen still shows as new: the stale move is refused and the panel catches up.
        var other = "Stale Screen " + run;
        var otherId = await console.CaptureLeadAsync("console-leads", other);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the leads" }).ClickAsync();
        await page.Locator("#leads-New").GetByRole(AriaRole.Button, new() { Name = $"Open lead {other}" }).ClickAsync();
        var otherDetail = page.GetByRole(AriaRole.Region, new() { Name = $"Lead {other}" });
        await Assertions.Expect(otherDetail.Locator("#lead-stage")).ToHaveTextAsync("New");
        await console.BookTestDriveAsync("console-leads", otherId);
        await otherDetail.GetByRole(AriaRole.Button, new() { Name = "Contacted" }).ClickAsync();
        await Assertions.Expect(otherDetail.GetByRole(AriaRole.Alert)).ToContainTextAsync("cannot move to Contacted");
        await Assertions.Expect(otherDetail.Locator("#lead-stage")).ToHaveTextAsync("Test drive");
        await Assertions.Expect(otherDetail.GetByRole(AriaRole.Button, new() { Name = "Negotiating" })).ToBeVisibleAsync();
    }
}
