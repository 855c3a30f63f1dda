using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// The real local host pipeline (TestServer) with extra probe routes mapped inside the /api group, so
/// cross-cutting conventions (idempotency, audit, protection) can be exercised before features exist.
/// </summary>
internal sealed class TestApi : IAsyncDisposable
{
    private TestApi(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<TestApi> StartAsync(PlatformEmulators emulators, Action<RouteGroupBuilder>? mapApi = null, IDictionary<string, string?>? overrides = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var settings = emulators.Settings();
        settings["LocalSettingsPath"] = "(none)";
        settings["Mqtt:Enabled"] = "false";
        settings["Auth:DevSigningKey"] = LocalHostFactory.DevSigningKey;
        settings["environment"] = "Development";
        // The probe routes need no workflow: a host without the durable worker starts and stops a second sooner (the
        // worker's stop alone takes one), which over the suite's hundred-odd hosts is minutes of CI.
        settings["Durable:EnableWorker"] = "false";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var args = settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}").ToArray();
        var app = LocalHostApplication.Build(args, builder =>
        {
            builder.WebHost.UseTestServer();
            services?.Invoke(builder.Services);
        }, mapApi);
        await app.StartAsync();
        return new TestApi(app);
    }

    public Task<string> TokenAsync(string subject, string tenantId, params string[] roles) => DevTokens.IssueAsync(Client, subject, tenantId, roles);

    public static HttpRequestMessage Request(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
