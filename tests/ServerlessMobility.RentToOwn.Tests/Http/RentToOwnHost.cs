using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Http;

/// <summary>
/// The local host in-process on the real Azurite and Cosmos server: with a fake clock started at a fixed date for
/// the API tests, or on the real clock for the collection tests, because the durable engine's timers run on the
/// real clock.
/// </summary>
internal sealed class RentToOwnHost : IAsyncDisposable
{
    /// <summary>
    /// Where the fake clock starts: a fixed date, so every run sees the same dates whatever day it runs on. It lies
    /// ahead of any day the tests run on because the durable engine's timers run on the real clock: a collection a
    /// plan starts waits for instalments that are not yet due, as it would on the day the plan is made, instead of
    /// charging a past date's whole schedule at once.
    /// </summary>
    public static readonly DateTimeOffset FakeClockStart = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

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
        var time = new FakeTimeProvider(FakeClockStart);
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

    /// <summary>
    /// A dev token. The host validates token lifetimes against the wall clock (the JWT handler's), but its token
    /// endpoint stamps them with the host's clock: on the fake clock, at <see cref="FakeClockStart"/>, those would not
    /// be valid yet. So on the fake clock the token is signed here with the host's dev key and the real clock, and
    /// stays valid however far a test moves the fake one.
    /// </summary>
    public Task<string> TokenAsync(string subject, string tenantId, params string[] roles) => _time is null
        ? DevTokens.IssueAsync(Client, subject, tenantId, roles)
        : Task.FromResult(new DevTokenIssuer(Factory.Services.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System).Issue(subject, tenantId, roles));

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
