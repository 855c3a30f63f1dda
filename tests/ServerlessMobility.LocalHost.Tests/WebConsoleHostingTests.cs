using System.Net;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>The local host serves the web console at its own addresses, and only there: the API's answers do not change.</summary>
public class WebConsoleHostingTests(PlatformEmulators emulators, SharedLocalHost shared) : IClassFixture<SharedLocalHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/orders")]
    [InlineData("/workflows")]
    [InlineData("/rent-to-own")]
    [InlineData("/features")]
    [InlineData("/vehicles")]
    [InlineData("/showroom")]
    [InlineData("/leaderboard")]
    [InlineData("/lead-score")]
    [InlineData("/leads")]
    [InlineData("/workshop")]
    [InlineData("/service-contracts")]
    [InlineData("/authentication/login-callback")]
    [InlineData("/authentication/logout-callback")]
    public async Task ConsolePage_IsTheConsolesIndexHtml_WithoutAToken(string path)
    {
        using var client = shared.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<div id=\"app\">", html, StringComparison.Ordinal);
        Assert.Contains("_framework/blazor.webassembly.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleFiles_AreServed_TheFrameworkAndTheServiceWorker()
    {
        using var client = shared.Factory.CreateClient();

        using var framework = await client.GetAsync(new Uri("/_framework/blazor.webassembly.js", UriKind.Relative), Ct);
        using var worker = await client.GetAsync(new Uri("/service-worker.js", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, framework.StatusCode);
        Assert.Equal(HttpStatusCode.OK, worker.StatusCode);
        Assert.Contains("X-Console-Offline-Copy", await worker.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleConfig_SaysTheDevelopmentForm_UnlessConsoleSignInIsSet()
    {
        using var client = shared.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/console-config.json", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("dev", json.RootElement.GetProperty("signIn").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task ConsoleConfig_NamesTheProvider_WhenConsoleSignInIsOidc()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        factory.Settings["Console:SignIn:Mode"] = "oidc";
        factory.Settings["Console:SignIn:Authority"] = "https://login.microsoftonline.com/tenant-guid/v2.0";
        factory.Settings["Console:SignIn:ClientId"] = "client-guid";
        factory.Settings["Console:SignIn:Scopes:0"] = "api://serverless-mobility/user_impersonation";
        using var client = factory.CreateClient();

        using var json = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/console-config.json", UriKind.Relative), Ct));

        var signIn = json.RootElement.GetProperty("signIn");
        Assert.Equal("oidc", signIn.GetProperty("mode").GetString());
        Assert.Equal("https://login.microsoftonline.com/tenant-guid/v2.0", signIn.GetProperty("authority").GetString());
        Assert.Equal("client-guid", signIn.GetProperty("clientId").GetString());
        Assert.Equal("api://serverless-mobility/user_impersonation", Assert.Single(signIn.GetProperty("scopes").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("GET", "/not-a-console-page", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/not-a-route", HttpStatusCode.Unauthorized)]
    [InlineData("PUT", "/api/not-a-route", HttpStatusCode.Unauthorized)]
    [InlineData("POST", "/orders", HttpStatusCode.MethodNotAllowed)]
    public async Task OtherPaths_AreNotTheConsole_AndKeepTheApisProblemAnswers(string method, string path, HttpStatusCode expected)
    {
        using var client = shared.Factory.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
