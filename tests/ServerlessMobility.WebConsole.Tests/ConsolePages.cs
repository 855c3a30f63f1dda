using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ServerlessMobility.Testing;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>What every journey does: open a context, sign in through the form, check a screen with axe, keep a screenshot.</summary>
internal static class ConsolePages
{
    /// <summary>WCAG 2.0/2.1 A and AA, and the AAA rules (enhanced contrast for text, seed 003).</summary>
    private static readonly List<string> AxeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag2aaa"];

    public static Task<IBrowserContext> NewContextAsync(ConsoleBrowser browser, ConsoleHost console) => NewContextAsync(browser, console.BaseAddress);

    public static async Task<IBrowserContext> NewContextAsync(ConsoleBrowser browser, Uri baseAddress)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ServiceWorkers = ServiceWorkerPolicy.Allow,
        });

        // What the page printed, in the test's output: a failing journey shows the browser's side too.
        var output = TestContext.Current.TestOutputHelper;
        context.Console += (_, message) => output?.WriteLine($"[browser {message.Type}] {message.Text}");
        context.WebError += (_, error) => output?.WriteLine($"[browser error] {error.Error}");
        return context;
    }

    /// <summary>Signs in from the sign-in screen, loading the console first only if the page has not loaded it yet.</summary>
    public static async Task SignInAsync(IPage page, string subject, params string[] roles)
    {
        if (page.Url == "about:blank")
        {
            await page.GotoAsync("/");
        }
        else
        {
            await OpenInAppAsync(page, "/");
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Your name or staff id").FillAsync(subject);
        await page.GetByLabel("Dealership (tenant id)").FillAsync(ConsoleHost.Tenant);
        foreach (var role in new[] { "operator", "admin", "dealer-staff", "dealer-admin", "agent", "workshop-staff" })
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = role, Exact = true }).SetCheckedAsync(roles.Contains(role));
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Signed in as {subject}")).ToBeVisibleAsync();

        // The console names the person before it has asked the API who they are and then opens their first screen: a
        // screen opened before that would be replaced by it.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Opens an address in the console already running in the page, as its own links do (the same router and the same
    /// screen as typing the address): a page load would boot the whole WebAssembly app again, seconds of the CI
    /// machine's CPU each time. Journeys that are about a load (a reload, going offline) load the page.
    /// </summary>
    public static Task OpenInAppAsync(IPage page, string address) => page.EvaluateAsync("address => Blazor.navigateTo(address)", address);

    /// <summary>Fails with every violation axe finds on the page as it is now, named with the screen.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = AxeTags } });
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(violations.Count == 0, $"axe found on the {screen} screen:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    /// <summary>
    /// A screenshot of the screen into TestResults, and into the folder CONSOLE_SCREENSHOTS names when set (docs/console
    /// images are made that way: docs/console.md says how).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folders = new List<string> { Path.Combine(RepositoryPaths.Root, "TestResults", "console-screenshots") };
        if (Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } docs)
        {
            folders.Add(Path.GetFullPath(docs, RepositoryPaths.Root));
        }

        var image = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, name + ".png"), image);
        }
    }
}
