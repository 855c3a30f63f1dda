using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>
/// The local host as a real process (the browser needs a real socket), serving the console at '/' with the demo data.
/// Partner simulators are left unanswered on purpose (their webhooks have no address to call back), so an order stays
/// in its workflow's first wait: the screens have a running workflow to show and to terminate.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string Tenant = "demo-dealership";

    private readonly PlatformEmulators _emulators;
    private LocalHostProcess? _host;

    public ConsoleHost(PlatformEmulators emulators) => _emulators = emulators;

    public LocalHostProcess Host => _host ?? throw new InvalidOperationException("Not started.");

    public Uri BaseAddress => Host.BaseAddress;

    public async ValueTask InitializeAsync()
    {
        var settings = _emulators.Settings();
        settings["Demo:Seed"] = "true";
        settings["Logging:LogLevel:ServerlessMobility.LocalHost.Demo"] = "Information";

        // Webhooks of the simulators go to a port nothing listens on: the deposit is never paid.
        settings["CarAsAService:Simulators:CallbackBaseUrl"] = $"http://127.0.0.1:{FreeTcpPort.Next()}";
        _host = await LocalHostProcess.StartAsync(settings);
        await Eventually.UntilAsync(() => Task.FromResult(_host.Process.Output.Contains("Demo data ready for tenant", StringComparison.Ordinal) || _host.Process.HasExited),
            "the host to seed the demo data", TimeSpan.FromSeconds(90), cancellation: CancellationToken.None);
        if (_host.Process.HasExited)
        {
            throw new InvalidOperationException($"The local host stopped: {_host.Process.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public async Task<string> TokenAsync(string subject, params string[] roles)
    {
        using var client = Host.CreateClient();
        return await DevTokens.IssueAsync(client, subject, Tenant, roles);
    }

    /// <summary>Places an order through the API, as the mobile app does; its workflow then waits for the deposit.</summary>
    public async Task<string> PlaceOrderAsync(string prefix)
    {
        var orderId = $"{prefix}-{Guid.NewGuid():N}"[..32];
        using var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("console-test-staff", "dealer-staff"));
        using var response = await client.PostAsJsonAsync("/api/orders", new
        {
            orderId,
            customer = new { name = "Ana Garcia", email = $"{orderId}@example.test" },
            modelId = "aurora-s",
            packs = Array.Empty<string>(),
            country = "ES",
        });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Placing order {orderId} answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("order").GetProperty("id").GetString() ?? orderId;
    }

    public static string InstanceIdOf(string orderId) => string.Create(CultureInfo.InvariantCulture, $"{Tenant}:order:{orderId}");
}
