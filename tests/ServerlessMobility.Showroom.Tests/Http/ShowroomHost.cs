using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>The local host in-process on the real Azurite and Cosmos server, with a dealership (tenant) of its own per test.</summary>
internal sealed class ShowroomHost : IAsyncDisposable
{
    private static int _vinSequence = Random.Shared.Next(1_000_000);

    private ShowroomHost(LocalHostFactory factory, string tenant)
    {
        Factory = factory;
        Tenant = tenant;
        Client = factory.CreateClient();
    }

    public LocalHostFactory Factory { get; }

    public HttpClient Client { get; }

    public string Tenant { get; }

    public string Staff => Token("staff-1", "dealer-staff");

    public string Customer => Token("customer-1", "customer");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The host's own Cosmos database, for a second host that plays the first one restarted.</summary>
    public string? DatabaseName => Factory.Settings["CosmosDb:DatabaseName"];

    /// <param name="restartOf">A host whose dealership and Cosmos database this one takes over (the same deployment, restarted).</param>
    /// <param name="settings">Further settings of the host (Azure SignalR's connection string, say).</param>
    public static ShowroomHost Start(PlatformEmulators emulators, ShowroomHost? restartOf = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // Every response a test receives is held to the OpenAPI document.
        var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        if (restartOf is not null)
        {
            factory.Settings["CosmosDb:DatabaseName"] = restartOf.DatabaseName;
        }

        factory.Settings["Mqtt:Enabled"] = "false";
        factory.Settings["RequestProtection:PermitsPerSubject"] = "100000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            factory.Settings[key] = value;
        }

        return new ShowroomHost(factory, restartOf?.Tenant ?? $"sr-{Guid.NewGuid():N}"[..20]);
    }

    /// <summary>A VIN no other test uses (17 characters, no I, O or Q).</summary>
    public static string NewVin() => "WSMSR" + Interlocked.Increment(ref _vinSequence).ToString("D6", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    public string Token(string subject, params string[] roles) => TokenFor(Tenant, subject, roles);

    public string TokenFor(string tenant, string subject, params string[] roles) =>
        new DevTokenIssuer(Factory.Services.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System).Issue(subject, tenant, roles);

    public static object Vehicle(string vin, string make = "BMW", string model = "320i", int year = 2024, string? trim = "M Sport", string fuel = "Petrol",
        string colour = "Blue", decimal price = 42_500m, double lat = 48.137, double lon = 11.575, string? description = null, string? status = null) =>
        new { vin, make, model, year, trim, fuel, colour, mileageKm = 10, price, currency = "EUR", location = new { lat, lon }, description, status };

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string token, object? body = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        configure?.Invoke(request);
        var response = await Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public async Task<JsonElement> OkAsync(HttpMethod method, string path, string token, object? body = null)
    {
        var (status, json, response) = await SendAsync(method, path, token, body);
        response.Dispose();
        Assert.True((int)status is >= 200 and < 300, $"{method} {path}: {(int)status} {json}");
        return json;
    }

    public Task<JsonElement> AddAsync(object vehicle) => OkAsync(HttpMethod.Post, "/api/showroom/inventory", Staff, vehicle);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
