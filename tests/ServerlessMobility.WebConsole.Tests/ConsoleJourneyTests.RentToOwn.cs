using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ServerlessMobility.Testing;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The rent-to-own screen: plans, their collection, and the immobilization interlock as the platform runs it.</summary>
public sealed partial class ConsoleJourneyTests
{
    private const string MovingVin = "WDEMX000000000002";
    private const string ParkedVin = "WDEMX000000000003";

    [Fact]
    public async Task Agent_FollowsPlansThroughDunningAndDefault_SeesTheInterlock_AndRecordsAPaymentOnlyAfterConfirming()
    {
        var moving = await console.OpenDecliningPlanAsync(MovingVin);
        var parked = await console.OpenDecliningPlanAsync(ParkedVin);
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();

        // The browser loads the console and signs in while the platform declines the charges: neither waits for the other.
        await Task.WhenAll(
            Eventually.UntilAsync(async () => Stage(await console.CollectionStatusAsync(moving)) == "grace",
                "the moving vehicle's plan to reach its grace period after four declined charges", TimeSpan.FromSeconds(90), cancellation: CancellationToken.None),
            SignInAsAgentAsync());

        // In the grace period: every charge declined, the customer warned, the end of the grace period shown.
        await page.GetByRole(AriaRole.Button, new() { Name = moving, Exact = true }).ClickAsync();
        var plan = page.GetByRole(AriaRole.Region, new() { Name = $"Plan {moving}" });
        await Assertions.Expect(plan.Locator("#plan-status")).ToHaveTextAsync("Active");
        await Assertions.Expect(plan.Locator("#collection-stage")).ToHaveTextAsync("Grace period for instalment 1");
        var attempts = plan.GetByRole(AriaRole.List, new() { Name = "Collection attempts" });
        await Assertions.Expect(attempts.GetByText("declined: insufficient-funds")).ToHaveCountAsync(4);
        await Assertions.Expect(attempts.GetByText("Charge on the due date: declined: insufficient-funds")).ToBeVisibleAsync();
        await Assertions.Expect(attempts.GetByText("Retry 3: declined: insufficient-funds")).ToBeVisibleAsync();
        await Assertions.Expect(attempts.GetByText("Message sent to the customer").First).ToBeVisibleAsync();
        var firstDue = (await console.PlanAsync(moving)).GetProperty("schedule")[0].GetProperty("dueDate").GetDateTimeOffset();
        var graceEnds = (firstDue + ConsoleHost.RentToOwnGracePeriod).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        await Assertions.Expect(plan.Locator("#grace-period")).ToContainTextAsync($"Running: ends {graceEnds}.");
        await Assertions.Expect(plan.Locator("#vehicle-speed")).ToContainTextAsync("moving");
        await Assertions.Expect(plan.Locator("#vehicle-immobilized")).ToHaveTextAsync("No");
        await Assertions.Expect(plan.GetByRole(AriaRole.Table).Last.GetByText("Overdue")).ToHaveCountAsync(1);
        await ConsolePages.AssertAccessibleAsync(page, "rent-to-own (grace period)");
        await ConsolePages.ScreenshotAsync(page, "rent-to-own-grace");

        // After the grace period both plans default; only the vehicle standing still is immobilized.
        await Eventually.UntilAsync(async () => await console.CollectionStatusAsync(parked) is { } s && Stage(s) == "defaulted" && Immobilized(s),
            "the parked vehicle of the defaulted plan to be immobilized", TimeSpan.FromSeconds(120), cancellation: CancellationToken.None);
        await Eventually.UntilAsync(async () => Stage(await console.CollectionStatusAsync(moving)) == "defaulted",
            "the moving vehicle's plan to default", TimeSpan.FromSeconds(60), cancellation: CancellationToken.None);
        Assert.False(Immobilized(await console.CollectionStatusAsync(moving)), "a moving vehicle must never be immobilized");

        // Refresh reads the open plan again as well as the list.
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Assertions.Expect(plan.Locator("#plan-status")).ToHaveTextAsync("In default");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = moving }).GetByText("In default")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = moving, Exact = true }).ClickAsync();
        await Assertions.Expect(plan.Locator("#vehicle-speed")).ToContainTextAsync("moving. The vehicle is never immobilized while it moves");
        await Assertions.Expect(plan.Locator("#vehicle-immobilized")).ToHaveTextAsync("No");

        await page.GetByRole(AriaRole.Button, new() { Name = parked, Exact = true }).ClickAsync();
        plan = page.GetByRole(AriaRole.Region, new() { Name = $"Plan {parked}" });
        await Assertions.Expect(plan.Locator("#plan-status")).ToHaveTextAsync("In default");
        await Assertions.Expect(plan.Locator("#vehicle-speed")).ToContainTextAsync("0 km/h");
        await Assertions.Expect(plan.Locator("#vehicle-speed")).ToContainTextAsync("standing still");
        await Assertions.Expect(plan.Locator("#vehicle-immobilized")).ToHaveTextAsync("Yes, by the collection workflow");
        await Assertions.Expect(plan.Locator("#grace-period")).ToHaveTextAsync("Over: the plan is in default.");
        await ConsolePages.AssertAccessibleAsync(page, "rent-to-own (defaulted, immobilized)");
        await ConsolePages.ScreenshotAsync(page, "rent-to-own");

        // The payment that releases the vehicle: refused without a reference, asked a second time, cancelled, then confirmed.
        var before = await console.PlanAsync(parked);
        var arrears = before.GetProperty("arrears").GetDecimal();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record payment…" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A reference and an amount are required");
        await Assertions.Expect(page.GetByRole(AriaRole.Alertdialog)).ToHaveCountAsync(0);

        var reference = $"MPESA-{Guid.NewGuid():N}"[..20];
        await page.GetByLabel("Provider reference").FillAsync(reference);
        await page.GetByLabel("Amount (KES)").FillAsync(arrears.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Record payment…" }).ClickAsync();
        var question = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Record this payment?" });
        await Assertions.Expect(question).ToContainTextAsync(reference);
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Yes, record the payment" })).ToBeFocusedAsync();
        await ConsolePages.AssertAccessibleAsync(page, "rent-to-own (confirming a payment)");
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(question).ToHaveCountAsync(0);
        Assert.Equal(before.GetProperty("paid").GetDecimal(), (await console.PlanAsync(parked)).GetProperty("paid").GetDecimal());

        await page.GetByRole(AriaRole.Button, new() { Name = "Record payment…" }).ClickAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Recorded {arrears.ToString("N2", CultureInfo.InvariantCulture)} KES" })).ToBeVisibleAsync();
        var after = await console.PlanAsync(parked);
        Assert.Equal(before.GetProperty("paid").GetDecimal() + arrears, after.GetProperty("paid").GetDecimal());
        Assert.Equal(0m, after.GetProperty("arrears").GetDecimal());
        Assert.Equal("Active", after.GetProperty("status").GetString());

        // Paid up: the workflow mobilizes the vehicle.
        await Eventually.UntilAsync(async () => await console.CollectionStatusAsync(parked) is { } s && !Immobilized(s) && Stage(s) != "defaulted",
            "the vehicle to be mobilized after the arrears were paid", TimeSpan.FromSeconds(60), cancellation: CancellationToken.None);
        await page.GetByRole(AriaRole.Button, new() { Name = parked, Exact = true }).ClickAsync();
        await Assertions.Expect(plan.Locator("#vehicle-immobilized")).ToHaveTextAsync("No");
        await Assertions.Expect(plan.Locator("#plan-status")).ToHaveTextAsync("Active");

        async Task SignInAsAgentAsync()
        {
            await ConsolePages.SignInAsync(page, "console-agent", "agent");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rent-to-own plans", Level = 1 })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task Operator_ImmobilizesADefaultedParkedVehicle_OnlyWithAReasonAndAfterConfirming()
    {
        var planId = await console.OpenDecliningPlanAsync(ParkedVin);

        // An operator alone: reads the plan, may immobilize, is offered no payment (that is the agents'). The browser
        // loads the console and signs in while the plan defaults: neither waits for the other.
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await Task.WhenAll(
            Eventually.UntilAsync(async () => (await console.PlanAsync(planId)).GetProperty("status").GetString() == "Defaulted",
                "the plan of the parked vehicle to default", TimeSpan.FromSeconds(120), cancellation: CancellationToken.None),
            SignInAsOperatorAsync());
        await ConsolePages.OpenInAppAsync(page, "/rent-to-own");
        await page.GetByLabel("Plan id").FillAsync(planId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        var plan = page.GetByRole(AriaRole.Region, new() { Name = $"Plan {planId}" });
        await Assertions.Expect(plan.Locator("#plan-status")).ToHaveTextAsync("In default");
        await Assertions.Expect(plan.Locator("#vehicle-speed")).ToContainTextAsync("standing still");
        var immobilize = plan.GetByRole(AriaRole.Button, new() { Name = "Immobilize the vehicle…" });
        await Assertions.Expect(immobilize).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record payment…" })).ToHaveCountAsync(0);

        // No reason, no question.
        await immobilize.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "A reason is required" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alertdialog)).ToHaveCountAsync(0);

        const string reason = "Customer unreachable since the default, agent visit failed.";
        await page.GetByLabel("Reason (10 to 500 characters").FillAsync(reason);
        await immobilize.ClickAsync();
        var question = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Immobilize this vehicle?" });
        await Assertions.Expect(question).ToContainTextAsync(reason);
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Yes, immobilize the vehicle" })).ToBeFocusedAsync();
        await ConsolePages.AssertAccessibleAsync(page, "rent-to-own (confirming an immobilization)");
        await question.GetByRole(AriaRole.Button, new() { Name = "Yes, immobilize the vehicle" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Vehicle {ParkedVin} immobilized" })).ToBeVisibleAsync();
        await Assertions.Expect(plan.Locator("#vehicle-immobilized")).ToContainTextAsync($"Yes, by console-operator");
        await Assertions.Expect(plan.Locator("#vehicle-immobilized")).ToContainTextAsync(reason);
        await Assertions.Expect(immobilize).ToHaveCountAsync(0);
        var record = (await console.PlanAsync(planId)).GetProperty("immobilization");
        Assert.Equal(("console-operator", reason), (record.GetProperty("by").GetString(), record.GetProperty("reason").GetString()));
        await Eventually.UntilAsync(async () => Immobilized(await console.CollectionStatusAsync(planId)),
            "the collection workflow to report the vehicle immobilized", TimeSpan.FromSeconds(30), cancellation: CancellationToken.None);
        await ConsolePages.AssertAccessibleAsync(page, "rent-to-own (immobilized by an operator)");

        async Task SignInAsOperatorAsync()
        {
            await ConsolePages.SignInAsync(page, "console-operator", "operator");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Rent-to-own" })).ToBeVisibleAsync();
        }
    }

    [Theory]
    [InlineData("dealer-staff")]
    public async Task RentToOwn_WithoutTheAgentOperatorOrAdminRole_IsNeitherLinkedNorShown(string role)
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, $"console-{role}", role);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workflows" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Rent-to-own" })).ToHaveCountAsync(0);
        await ConsolePages.OpenInAppAsync(page, "/rent-to-own");
        await Assertions.Expect(page.GetByText("Rent-to-own plans are for field agents, operators and tenant administrators")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record payment…" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Immobilize the vehicle…" })).ToHaveCountAsync(0);
    }

    private static string? Stage(JsonElement? status) =>
        status is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("stage", out var stage) ? stage.GetString() : null;

    private static bool Immobilized(JsonElement? status) =>
        status is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("immobilized", out var value) && value.ValueKind == JsonValueKind.True;
}
