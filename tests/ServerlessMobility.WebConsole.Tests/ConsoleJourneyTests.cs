using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>The console's main journeys in Debian's chromium against the local host on the real emulators (one host for every screen: the other parts of this class are the screens added later).</summary>
public sealed partial class ConsoleJourneyTests(ConsoleHost console, ConsoleBrowser browser) : IClassFixture<ConsoleHost>
{
    [Fact]
    public async Task DealerStaff_SignsIn_FindsTheOrderOnTheBoard_AndReadsItsWorkflowTimeline()
    {
        var orderId = await console.PlaceOrderAsync("board");
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await ConsolePages.AssertAccessibleAsync(page, "sign-in");
        await ConsolePages.ScreenshotAsync(page, "sign-in");
        await ConsolePages.SignInAsync(page, "console-staff", "dealer-staff");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        var column = page.GetByRole(AriaRole.Region, new() { Name = "Awaiting deposit" });
        var card = column.GetByRole(AriaRole.Button, new() { Name = $"Order {orderId}" });
        await Assertions.Expect(card).ToBeVisibleAsync();
        await card.ClickAsync();

        var timeline = page.GetByRole(AriaRole.Region, new() { Name = $"Timeline of order {orderId}" });
        await Assertions.Expect(timeline).ToBeVisibleAsync();
        await Assertions.Expect(timeline.Locator(".status-history li").First).ToContainTextAsync("Awaiting deposit");
        await Assertions.Expect(timeline.GetByText("Started OrderToDelivery")).ToBeVisibleAsync();
        await Assertions.Expect(timeline.GetByText("Step Caas_CreatePaymentIntent done")).ToBeVisibleAsync();
        await Assertions.Expect(timeline.GetByRole(AriaRole.Heading, new() { Name = "Workflow Running" })).ToBeVisibleAsync();
        await Assertions.Expect(card).ToHaveAttributeAsync("aria-pressed", "true");
        await ConsolePages.AssertAccessibleAsync(page, "orders board");
        await ConsolePages.ScreenshotAsync(page, "orders-board");
    }

    [Fact]
    public async Task Operator_FindsAWorkflow_TerminatesItOnlyWithAReasonAndAfterConfirming()
    {
        var orderId = await console.PlaceOrderAsync("terminate");
        var instanceId = ConsoleHost.InstanceIdOf(orderId);
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-operator", "operator");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Workflows", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Status").SelectOptionAsync("Running");
        await page.GetByLabel("Instance id starts with").FillAsync(instanceId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = instanceId }).ClickAsync();
        await Assertions.Expect(page.Locator("#instance-status")).ToHaveTextAsync("Running");

        // No reason, no termination: the question is not even asked.
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate…" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A reason is required");
        await Assertions.Expect(page.GetByRole(AriaRole.Alertdialog)).ToHaveCountAsync(0);

        // Asked, then cancelled: nothing changes.
        await page.GetByLabel("Reason (kept in the history)").FillAsync("customer withdrew at the desk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate…" }).ClickAsync();
        var question = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Terminate this workflow?" });
        await Assertions.Expect(question).ToContainTextAsync("customer withdrew at the desk");
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Yes, terminate" })).ToBeFocusedAsync();
        await ConsolePages.AssertAccessibleAsync(page, "workflows (confirming a termination)");
        await ConsolePages.ScreenshotAsync(page, "workflows-confirm-terminate");
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(page.Locator("#instance-status")).ToHaveTextAsync("Running");

        // Asked and confirmed (from the keyboard: the confirm button has the focus).
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate…" }).ClickAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#instance-status")).ToHaveTextAsync("Terminated", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByText("Terminated by an operator")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Purge history…" })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "workflows");
        await ConsolePages.ScreenshotAsync(page, "workflows");
    }

    [Fact]
    public async Task DealerStaff_WithoutTheOperatorRole_ReadsWorkflowsButIsOfferedNoChange()
    {
        var orderId = await console.PlaceOrderAsync("readonly");
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-reader", "dealer-staff");

        await page.GetByRole(AriaRole.Link, new() { Name = "Workflows" }).ClickAsync();
        await page.GetByLabel("Instance id starts with").FillAsync(ConsoleHost.InstanceIdOf(orderId));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = ConsoleHost.InstanceIdOf(orderId) }).ClickAsync();

        await Assertions.Expect(page.Locator("#instance-status")).ToHaveTextAsync("Running");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Terminate…" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Raise event…" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task OrdersBoard_WhenThePlatformCannotBeReached_ShowsTheSavedCopyMarkedAsOffline()
    {
        var orderId = await console.PlaceOrderAsync("offline");
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "console-offline", "dealer-staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Order {orderId}" })).ToBeVisibleAsync();

        // A second visit, once the service worker controls the page: it keeps a copy of the app and of what the API answered.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Order {orderId}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Offline" })).ToHaveCountAsync(0);

        // Now nothing reaches the platform (the service worker's own requests included).
        await context.RouteAsync("**/*", route => route.AbortAsync("internetdisconnected"));
        await page.ReloadAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Order {orderId}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Offline: showing the copy saved at" })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "orders board (offline)");
        await ConsolePages.ScreenshotAsync(page, "orders-board-offline");
    }

    [Fact]
    public async Task Console_OpenedOnce_OpensAgainOffline_FromTheFilesTheServiceWorkerCopiedWhenItInstalled()
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();

        // The worker is active once its install (the copy of the build's files) is done.
        var copied = await page.EvaluateAsync<int>("""
            async () => {
              await navigator.serviceWorker.ready;
              const name = (await caches.keys()).find(n => n.startsWith('sm-console-app-'));
              return name ? (await (await caches.open(name)).keys()).length : 0;
            }
            """);
        Assert.True(copied > 10, $"the service worker copied {copied} files of the app");

        // No second visit online: the first load's files came before the worker, so only its own copy can open the app now.
        await context.RouteAsync("**/*", route => route.AbortAsync("internetdisconnected"));
        await page.ReloadAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "sign-in (offline, first visit)");
    }

    [Fact]
    public async Task Keyboard_SkipLinkComesFirst_AndSignInWorksWithoutAMouse()
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to the content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.GetByLabel("Your name or staff id").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("keyboard-user");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByText("Signed in as keyboard-user")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AccessibilityCheck_IsNotBlind_ItCatchesTextBelowAaaContrast()
    {
        await using var context = await ConsolePages.NewContextAsync(browser, console);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();

        // #767676 on white is 4.5:1: enough for AA, not for AAA's 7:1.
        await page.EvaluateAsync("() => { const p = document.createElement('p'); p.textContent = 'grey small print'; p.style.color = '#767676'; document.querySelector('main').append(p); }");

        var failure = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => ConsolePages.AssertAccessibleAsync(page, "sign-in (with grey text)"));
        Assert.Contains("color-contrast-enhanced", failure.Message, StringComparison.Ordinal);
    }
}
