using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The workshop board: a day's bays with their bookings placed by time, a booking's service job, and the one move offered on it.</summary>
public sealed partial class ConsoleJourneyTests
{
    [Fact]
    public async Task WorkshopStaff_FindsBookingsOnTheirBaysAtTheirTimes_OpensOneFromTheKeyboard_AndStartsAnInspectionOnlyAfterConfirming()
    {
        // This run's own bays, technician and skill: no other booking of the dealership can land in these rows.
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (lift, ev) = ($"bay-c{suffix}-lift", $"bay-c{suffix}-ev");
        var (liftName, evName) = ($"Lift {suffix}", $"EV bay {suffix}");
        var skill = $"console-{suffix}";
        await console.PutWorkshopBayAsync(lift, liftName);
        await console.PutWorkshopBayAsync(ev, evName);
        await console.PutWorkshopTechnicianAsync($"tech-c{suffix}", "Grace", skill);

        // Two days ahead: a booking must start in the future, whatever the hour the test runs at.
        var day = DateTime.UtcNow.Date.AddDays(2);
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (serviceVin, brakesVin) = (ConsoleHost.NewVin(), ConsoleHost.NewVin());
        var service = await console.BookWorkshopSlotAsync(lift, skill, serviceVin, "owner-ana", new DateTimeOffset(day.AddHours(9), TimeSpan.Zero), 2);
        var brakes = await console.BookWorkshopSlotAsync(ev, skill, brakesVin, "owner-ben", new DateTimeOffset(day.AddHours(13), TimeSpan.Zero), 1);
        var job = await console.CheckInWorkshopBookingAsync(brakes, 42_180, 60);

        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        var today = DateTime.UtcNow.Date;
        await ConsolePages.SignInAsync(page, "console-advisor", "workshop-staff");

        // Workshop staff land on their board, today's (UTC) by default.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Workshop board", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workshop board", Exact = true })).ToBeVisibleAsync();
        var todays = string.Join("|", new[] { today, today.AddDays(1) }.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        await Assertions.Expect(page.GetByLabel("Day (UTC)")).ToHaveValueAsync(new Regex($"^({todays})$"));

        await page.GetByLabel("Day (UTC)").FillAsync(dayText);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Bays on {dayText}" })).ToBeVisibleAsync();

        // Each booking in its own bay's row, with its times, and in no other row.
        var liftRow = page.GetByRole(AriaRole.List, new() { Name = liftName, Exact = true });
        var evRow = page.GetByRole(AriaRole.List, new() { Name = evName, Exact = true });
        var serviceBlock = liftRow.GetByRole(AriaRole.Button, new() { Name = serviceVin });
        var brakesBlock = evRow.GetByRole(AriaRole.Button, new() { Name = brakesVin });
        await Assertions.Expect(serviceBlock).ToContainTextAsync("09:00–11:00");
        await Assertions.Expect(serviceBlock).ToContainTextAsync("for owner-ana");
        await Assertions.Expect(serviceBlock.Locator(".block-status")).ToHaveTextAsync("Booked");
        await Assertions.Expect(brakesBlock).ToContainTextAsync("13:00–14:00");
        await Assertions.Expect(brakesBlock).ToContainTextAsync("for owner-ben");
        await Assertions.Expect(brakesBlock.Locator(".block-status")).ToHaveTextAsync("Checked in");
        await Assertions.Expect(evRow.GetByRole(AriaRole.Button, new() { Name = serviceVin })).ToHaveCountAsync(0);
        await Assertions.Expect(liftRow.GetByRole(AriaRole.Button, new() { Name = brakesVin })).ToHaveCountAsync(0);

        // Placed by time: the two-hour block starts on the 09:00 line of the hour scale and ends within the 10:00 hour.
        var nine = await page.Locator(".hour-label[data-hour='9']").BoundingBoxAsync();
        var ten = await page.Locator(".hour-label[data-hour='10']").BoundingBoxAsync();
        var eleven = await page.Locator(".hour-label[data-hour='11']").BoundingBoxAsync();
        var block = await serviceBlock.BoundingBoxAsync();
        Assert.NotNull(nine);
        Assert.NotNull(ten);
        Assert.NotNull(eleven);
        Assert.NotNull(block);
        Assert.InRange(block.X, nine.X - 1, nine.X + 1);
        Assert.InRange(block.X + block.Width, ten.X + 1, eleven.X);

        // Opened from the keyboard: the details of the booking, which has no job yet, and no action.
        await serviceBlock.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var details = page.GetByRole(AriaRole.Region, new() { Name = $"Booking {service}" });
        await Assertions.Expect(details.Locator("#details-bay")).ToHaveTextAsync(liftName);
        await Assertions.Expect(details.Locator("#details-time")).ToHaveTextAsync($"{dayText} 09:00–11:00");
        await Assertions.Expect(details.Locator("#details-customer")).ToHaveTextAsync("owner-ana");
        await Assertions.Expect(details.Locator("#details-job")).ToHaveTextAsync("None yet: the vehicle has not been checked in.");
        await Assertions.Expect(serviceBlock).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(details.GetByRole(AriaRole.Button, new() { Name = "Start inspection…" })).ToHaveCountAsync(0);

        // The checked-in booking: its job's state and the check-in.
        await brakesBlock.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        details = page.GetByRole(AriaRole.Region, new() { Name = $"Booking {brakes}" });
        await Assertions.Expect(details.Locator("#details-job")).ToHaveTextAsync($"{job}, Checked in");
        await Assertions.Expect(details.Locator("#details-customer")).ToHaveTextAsync("owner-ben");
        await Assertions.Expect(details).ToContainTextAsync("odometer 42,180 km, fuel 60 %");
        await Assertions.Expect(serviceBlock).ToHaveAttributeAsync("aria-pressed", "false");
        await ConsolePages.AssertAccessibleAsync(page, "workshop board");
        await ConsolePages.ScreenshotAsync(page, "workshop-board");

        // Starting the inspection: asked a second time; cancelled, nothing moves.
        var start = details.GetByRole(AriaRole.Button, new() { Name = "Start inspection…" });
        await start.ClickAsync();
        var question = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Start the inspection?" });
        await Assertions.Expect(question).ToContainTextAsync(job);
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Yes, start the inspection" })).ToBeFocusedAsync();
        await ConsolePages.AssertAccessibleAsync(page, "workshop board (confirming an inspection)");
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(question).ToHaveCountAsync(0);
        Assert.Equal("CheckedIn", await console.WorkshopJobStatusAsync(job));

        // Confirmed from the keyboard: the job moves, and the board and the details show it.
        await start.ClickAsync();
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Yes, start the inspection" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Job {job} is being inspected." })).ToBeVisibleAsync();
        await Assertions.Expect(brakesBlock.Locator(".block-status")).ToHaveTextAsync("Inspecting");
        await Assertions.Expect(details.Locator("#details-job")).ToHaveTextAsync($"{job}, Inspecting");
        await Assertions.Expect(details.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Checked in to Inspecting" })).ToBeVisibleAsync();
        await Assertions.Expect(start).ToHaveCountAsync(0);
        Assert.Equal("Inspecting", await console.WorkshopJobStatusAsync(job));
    }

    [Fact]
    public async Task WorkshopBoard_SaysWhenADayHasNoBookings_ShowsTheApisProblemForABadDay_AndIsNeitherLinkedNorShownToOtherRoles()
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-dealer", "dealer-staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workshop board", Exact = true })).ToHaveCountAsync(0);
        await ConsolePages.OpenInAppAsync(page, "/workshop");
        await Assertions.Expect(page.GetByText("The workshop board is for the workshop's staff")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Refresh" })).ToHaveCountAsync(0);

        // The next person at the same console: signed out, then an admin signs in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Signed in as")).ToHaveCountAsync(0);
        await ConsolePages.SignInAsync(page, "console-workshop-admin", "admin");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workshop board", Exact = true })).ToBeVisibleAsync();

        // A day that does not exist goes to the API as it is and comes back as its problem.
        await ConsolePages.OpenInAppAsync(page, "/workshop?day=2098-02-30");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("(400)");
        await Assertions.Expect(page.Locator("#board-summary")).ToHaveCountAsync(0);

        // A day without bookings: the bays are listed, empty, and the board says so.
        await page.GetByLabel("Day (UTC)").FillAsync("2098-01-02");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#board-summary")).ToHaveTextAsync("No bookings on 2098-01-02.");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bay 1 (lift)", Exact = true })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "workshop board (a day without bookings)");
    }
}
