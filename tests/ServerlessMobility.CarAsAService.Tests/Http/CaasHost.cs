using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.CarAsAService.Webhooks;
using ServerlessMobility.Testing;

namespace ServerlessMobility.CarAsAService.Tests.Http;

/// <summary>
/// The local host in-process on the real emulators with the real durable engine (its own task hub on
/// Azurite) and the partner simulators; the test plays the payment provider and the factory by webhook.
/// </summary>
public class CaasHost : IAsyncLifetime
{
    public const string PaymentsSecret = "test-payments-secret";
    public const string FactorySecret = "test-factory-secret";

    private readonly LocalHostFactory _factory;

    public CaasHost(PlatformEmulators emulators)
        : this(emulators, null)
    {
    }

    protected CaasHost(PlatformEmulators emulators, Action<LocalHostFactory>? configure)
    {
        _factory = new LocalHostFactory(emulators);
        _factory.Settings["CarAsAService:Webhooks:PaymentsSecret"] = PaymentsSecret;
        _factory.Settings["CarAsAService:Webhooks:FactorySecret"] = FactorySecret;
        _factory.Settings["CarAsAService:Outbound:Mode"] = "Simulated";
        _factory.Settings["Mqtt:Enabled"] = "false";
        _factory.Settings["Logging:LogLevel:Default"] = "Warning";
        configure?.Invoke(_factory);
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IServiceProvider Services => _factory.Services;

    /// <summary>The host's durable client (the engine's, or the stand-in of a subclass).</summary>
    public DurableTaskClient Workflows => Get<DurableTaskClient>();

    /// <summary>What the host logged at error level, for failure messages.</summary>
    public CapturedErrors Errors => _factory.Errors;

    public T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public ValueTask InitializeAsync()
    {
        _ = _factory.Server;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public HttpClient Anonymous() => _factory.CreateClient();

    public Task<HttpClient> ClientAsync(string subject, string tenantId, params string[] roles) => _factory.ClientAsync(subject, tenantId, roles);

    public Task SeedModelAsync(string tenantId) => EndToEnd.EndToEndOrders.SeedModelAsync(Services, TestData.Model(tenantId));

    /// <summary>A webhook request signed as the provider would sign it, at the given time (now by default).</summary>
    public static HttpRequestMessage SignedRequest(string route, string secret, string body, DateTimeOffset? at = null, string? signature = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookOptions.TimestampHeader, timestamp);
        request.Headers.Add(WebhookOptions.SignatureHeader, signature ?? WebhookSignature.Compute(secret, timestamp, bytes));
        return request;
    }

    /// <summary>Posts a signed webhook anonymously, as the partner would.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string route, string secret, string body, DateTimeOffset? at = null, string? signature = null)
    {
        using var client = Anonymous();
        using var request = SignedRequest(route, secret, body, at, signature);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

/// <summary>
/// The host for tests about the webhook endpoints only: the durable client is a
/// <see cref="RecordingDurableTaskClient"/> and the engine's worker does not run.
/// </summary>
public sealed class WebhookHost : CaasHost
{
    public WebhookHost(PlatformEmulators emulators)
        : this(emulators, new RecordingDurableTaskClient())
    {
    }

    private WebhookHost(PlatformEmulators emulators, RecordingDurableTaskClient recorder)
        : base(emulators, factory =>
        {
            factory.Settings["Durable:EnableWorker"] = "false";
            factory.ConfigureTestServices = services =>
            {
                services.RemoveAll<DurableTaskClient>();
                services.AddSingleton(recorder.Object);
            };
        }) => Recorder = recorder;

    internal RecordingDurableTaskClient Recorder { get; }
}
