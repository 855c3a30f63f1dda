using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>
/// One headless Debian chromium for the assembly; each test opens its own browser context (its own storage and service
/// worker). The flags keep chromium from reaching for Google's services, which this machine's closed network refuses.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Debian's chromium is not installed at {ChromiumPath}: 'apt-get install chromium' (.ci/run does).");
        }

        // The first load of a WebAssembly app on a busy 2-core CI machine takes seconds, not the default five.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
