using Microsoft.Playwright;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>
/// The console as deployed in Azure: it signs staff in through an OpenID Connect provider (authorization code with
/// PKCE), sends the provider's access token to the API, which validates it against that provider, and signs out there.
/// </summary>
[Collection(nameof(AloneInTheBrowser))]
public sealed class ConsoleOidcSignInTests(OidcConsoleHost console, ConsoleBrowser browser) : IClassFixture<OidcConsoleHost>
{
    private const string SignInButton = "Sign in with your organisation's account";

    [Fact]
    public async Task DealerStaff_SignsInAtTheProvider_SeesTheBoardWithTheTokensRoles_AndSignsOutThere()
    {
        var tenant = console.Tenant;
        var user = new ProviderUser("entra-dana", "Dana Staff", tenant, ["dealer-staff"]);
        var orderId = await console.PlaceOrderAsync(user);
        console.Provider.NextUser = user;
        var redeemedBefore = console.Provider.CodesRedeemed;
        var signOutsBefore = console.Provider.SignOuts;
        var authorizeBefore = console.Provider.AuthorizeRequests.Count;
        await using var context = await ConsolePages.NewContextAsync(browser, console.BaseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = SignInButton })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Your name or staff id")).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "sign-in (organisation account)");
        await ConsolePages.ScreenshotAsync(page, "sign-in-organisation");
        await page.GetByRole(AriaRole.Button, new() { Name = SignInButton }).ClickAsync();

        // Who and what the API read from the provider's access token, and the first screen of that role.
        await Assertions.Expect(page.GetByText("Signed in as entra-dana")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".who")).ToContainTextAsync($"(dealer-staff) at {tenant}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Order {orderId}" })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "orders board (organisation account)");

        var authorize = Assert.Single(console.Provider.AuthorizeRequests.Skip(authorizeBefore));
        Assert.Equal(LoopbackOpenIdProvider.ClientId, authorize["client_id"]);
        Assert.Equal("code", authorize["response_type"]);
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.Equal(new Uri(console.BaseAddress, "authentication/login-callback").ToString(), authorize["redirect_uri"]);
        Assert.Contains(LoopbackOpenIdProvider.ApiScope, authorize["scope"].ToString().Split(' '));
        Assert.Equal(redeemedBefore + 1, console.Provider.CodesRedeemed);
        Assert.Empty(console.Provider.RefusedTokenRequests);

        // A reload keeps the session (the library's user and the console's, both in the tab's sessionStorage).
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Order {orderId}" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = SignInButton })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Signed in as")).ToHaveCountAsync(0);
        Assert.Equal(signOutsBefore + 1, console.Provider.SignOuts);

        await page.GotoAsync("/orders");
        await Assertions.Expect(page.GetByText("Sign in first")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Order {orderId}" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ProviderRefusesTheSignIn_TheConsoleSaysSo_AndStaysSignedOut()
    {
        console.Provider.NextError = "access_denied";
        await using var context = await ConsolePages.NewContextAsync(browser, console.BaseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = SignInButton }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in did not complete", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("did not sign you in: The user declined to sign in. (access_denied)");
        await Assertions.Expect(page.GetByText("Signed in as")).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "sign-in refused");
        await ConsolePages.ScreenshotAsync(page, "sign-in-refused");

        await page.GetByRole(AriaRole.Link, new() { Name = "Try again" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = SignInButton })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ProviderSignsIn_ButTheApiRefusesTheToken_TheConsoleSaysSo_AndStaysSignedOut()
    {
        // Two tenants in one claim: the provider signs the user in, the API refuses such a token (docs/security.md).
        console.Provider.NextUser = new ProviderUser("entra-misconfigured", "Misconfigured User", "dealer-a dealer-b", ["dealer-staff"]);
        await using var context = await ConsolePages.NewContextAsync(browser, console.BaseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = SignInButton }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The platform did not accept your sign-in (401)");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = SignInButton })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Signed in as")).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "sign-in refused by the platform");
    }
}

/// <summary>
/// Journeys with a local host of their own run after the others, not beside them: two hosts, their workflows and the
/// browser's WebAssembly start on a 2-core machine made the first load of the console outlast its 30 seconds.
/// </summary>
[CollectionDefinition(nameof(AloneInTheBrowser), DisableParallelization = true)]
public sealed class AloneInTheBrowser;
