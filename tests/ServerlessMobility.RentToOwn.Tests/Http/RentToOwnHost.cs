using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Http;

/// <summary>
/// The local host in-process on the real Azurite and Cosmos server: with a fake clock for the API tests, or on
/// the real clock for the collection tests, because the durable engine's timers run on the real clock.
/// </summary>
internal sealed class RentToOwnHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly FakeTimeProvider? _time;

    private RentToOwnHost(LocalHostFactory factory, FakeTimeProvider? time)
    {
        _time = time;
        Factory = factory;
        Client = factory.CreateClient();
    }

    public LocalHostFactory Factory { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider Time => _time ?? throw new InvalidOperationException("This host runs on the real clock.");

    public static RentToOwnHost Start(PlatformEmulators emulators, Action<IServiceCollection>? configure = null)
    {
        // Starts at the real time because tokens are validated against the wall clock; get tokens before advancing.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return Start(emulators, new Dictionary<string, string?>(), services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            configure?.Invoke(services);
        }, time);
    }

    /// <summary>A host on the real clock, with extra <paramref name="settings"/> (collection waits in seconds, say).</summary>
    public static RentToOwnHost StartOnRealClock(PlatformEmulators emulators, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configure = null) =>
        Start(emulators, settings, configure, time: null);

    private static RentToOwnHost Start(PlatformEmulators emulators, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configure, FakeTimeProvider? time)
    {
        // Every response a test receives is held to the OpenAPI document (issue 16 item 14).
        var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["Mqtt:Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }

        factory.ConfigureTestServices = configure;
        return new RentToOwnHost(factory, time);
    }

    public async Task<string> TokenAsync(string subject, string tenantId, params string[] roles)
    {
        var response = await Client.PostAsJsonAsync("/api/dev/token", new { subject, tenantId, roles }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString()!;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<HttpResponseMessage> UploadAsync(string path, string token, byte[] content, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new ByteArrayContent(content);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
