using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Catalog;
using ServerlessMobility.Core.CarAsAService.Webhooks;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Testing;

namespace ServerlessMobility.CarAsAService.Tests.Http;

/// <summary>The local host in-process on the real emulators, with a recording workflow client and a fake clock.</summary>
public sealed class CaasHost : IAsyncLifetime
{
    public const string PaymentsSecret = "test-payments-secret";
    public const string FactorySecret = "test-factory-secret";

    private readonly LocalHostFactory _factory;

    public CaasHost(PlatformEmulators emulators)
    {
        _factory = new LocalHostFactory(emulators);
        _factory.Settings["CarAsAService:Webhooks:PaymentsSecret"] = PaymentsSecret;
        _factory.Settings["CarAsAService:Webhooks:FactorySecret"] = FactorySecret;
        _factory.Settings["CarAsAService:Outbound:Mode"] = "Simulated";
        _factory.Settings["Logging:LogLevel:Default"] = "Warning";
        _factory.ConfigureTestServices = services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.RemoveAll<IWorkflowClient>();
            services.AddSingleton<IWorkflowClient>(Workflows);
        };
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Starts at the wall clock because JWT lifetime validation uses the real clock.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    internal RecordingWorkflowClient Workflows { get; } = new();

    public IServiceProvider Services => _factory.Services;

    public T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public ValueTask InitializeAsync()
    {
        _ = _factory.Server;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    public HttpClient Anonymous() => _factory.CreateClient();

    public async Task<HttpClient> ClientAsync(string subject, string tenantId, params string[] roles)
    {
        var client = _factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/dev/token", new { subject, tenantId, roles });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task SeedModelAsync(string tenantId)
    {
        try
        {
            await Get<ITenantRepository<VehicleModel>>().CreateAsync(tenantId, "aurora-s", TestData.Model(tenantId));
        }
        catch (Core.Http.ConflictException)
        {
            // Seeded by an earlier test of this class.
        }
    }

    /// <summary>A webhook request signed as the provider would sign it, at the given unix time.</summary>
    public HttpRequestMessage SignedRequest(string route, string secret, string body, DateTimeOffset? at = null, string? signature = null)
    {
        var timestamp = (at ?? Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookOptions.TimestampHeader, timestamp);
        request.Headers.Add(WebhookOptions.SignatureHeader, signature ?? WebhookSignature.Compute(secret, timestamp, bytes));
        return request;
    }
}
