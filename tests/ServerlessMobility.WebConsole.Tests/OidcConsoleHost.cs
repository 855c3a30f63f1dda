using System.Net.Http.Headers;
using ServerlessMobility.Testing;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>
/// The local host as it runs outside Development (no development tokens, no demo data), validating the tokens of a
/// <see cref="LoopbackOpenIdProvider"/> and telling the console to sign in through it (<c>Console:SignIn</c>).
/// </summary>
public sealed class OidcConsoleHost(PlatformEmulators emulators) : IAsyncLifetime
{
    private LoopbackOpenIdProvider? _provider;
    private LocalHostProcess? _host;

    public LoopbackOpenIdProvider Provider => _provider ?? throw new InvalidOperationException("Not started.");

    /// <summary>A dealership of its own (the demo data is seeded into it), so no other run's orders show.</summary>
    public string Tenant { get; } = $"oidc-dealer-{Guid.NewGuid():N}"[..24];

    public Uri BaseAddress => (_host ?? throw new InvalidOperationException("Not started.")).BaseAddress;

    public async ValueTask InitializeAsync()
    {
        _provider = await LoopbackOpenIdProvider.StartAsync();
        var settings = emulators.Settings();
        settings["Demo:Seed"] = "true";
        settings["Demo:TenantId"] = Tenant;
        settings["Logging:LogLevel:ServerlessMobility.LocalHost.Demo"] = "Information";
        settings["Auth:Authority"] = _provider.Authority;
        settings["Auth:Issuer"] = _provider.Authority;
        settings["Auth:Audience"] = LoopbackOpenIdProvider.Audience;

        // The provider is on plain-HTTP loopback; Entra's metadata is HTTPS and the setting stays true there.
        settings["Auth:RequireHttpsMetadata"] = "false";
        settings["Console:SignIn:Mode"] = "oidc";
        settings["Console:SignIn:Authority"] = _provider.Authority;
        settings["Console:SignIn:ClientId"] = LoopbackOpenIdProvider.ClientId;
        settings["Console:SignIn:Scopes:0"] = LoopbackOpenIdProvider.ApiScope;

        // Webhooks of the simulators go to a port nothing listens on: an order waits for its deposit.
        settings["CarAsAService:Simulators:CallbackBaseUrl"] = $"http://127.0.0.1:{FreeTcpPort.Next()}";
        _host = await LocalHostProcess.StartAsync(settings, environment: "Production");

        // The catalog an order needs comes with the demo data.
        await ConsoleHost.WaitForDemoDataAsync(_host);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    /// <summary>Places an order through the API with a token of the provider, as the mobile app would; answers its id.</summary>
    public async Task<string> PlaceOrderAsync(ProviderUser user)
    {
        using var client = _host!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Provider.AccessToken(user));
        return await ConsoleHost.PlaceOrderAsync(client, $"oidc-{Guid.NewGuid():N}"[..32]);
    }
}
