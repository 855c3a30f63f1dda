using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Testing;

namespace ServerlessMobility.CarAsAService.Tests.EndToEnd;

/// <summary>
/// What the end-to-end order tests share: a host on the real durable engine with simulated partners, a model in
/// the catalogue, a sale, and waiting for an order's status through the API.
/// </summary>
internal static class EndToEndOrders
{
    /// <summary>Deadline for an order to move on, generous enough for a loaded 2-core machine.</summary>
    public static readonly TimeSpan OrderTimeout = TimeSpan.FromSeconds(120);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The local host in-process with simulated partners and webhooks signed with the given secrets; the durable
    /// engine polls its queues often so a test does not wait on idle back-off.
    /// </summary>
    public static LocalHostFactory NewFactory(PlatformEmulators emulators, string paymentsSecret, string factorySecret)
    {
        // Every response a test receives is held to the OpenAPI document (issue 16 item 14).
        var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["CarAsAService:Webhooks:PaymentsSecret"] = paymentsSecret;
        factory.Settings["CarAsAService:Webhooks:FactorySecret"] = factorySecret;
        factory.Settings["CarAsAService:Outbound:Mode"] = "Simulated";
        factory.Settings["CarAsAService:Workflow:RegistrationFirstRetry"] = "00:00:01";
        // A factory call that fails once on a loaded machine (a slow Cosmos write) is retried within the wait, not after 30 s.
        factory.Settings["CarAsAService:Workflow:FactoryOrderFirstRetry"] = "00:00:01";
        factory.Settings["Durable:MaxQueuePollingInterval"] = "00:00:00.250";
        factory.Settings["Mqtt:Enabled"] = "false";
        factory.Settings["Logging:LogLevel:Default"] = "Warning";
        return factory;
    }

    /// <summary>A model sold in Spain only, created once per emulators (tests of a class share them).</summary>
    public static Task SeedModelAsync(IServiceProvider services, string tenant, string modelId) =>
        SeedModelAsync(services, new VehicleModel(modelId, tenant, "E2E " + modelId, [new CountryPrice("ES", 30000m, 0.21m, "EUR")], []));

    public static async Task SeedModelAsync(IServiceProvider services, VehicleModel model)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            await services.GetRequiredService<ITenantRepository<VehicleModel>>().CreateAsync(model.TenantId, model.Id, model, Ct);
        }
        catch (ConflictException)
        {
            // Seeded by an earlier test against the same emulators.
        }
    }

    /// <summary>The body of <c>POST /api/orders</c>: a sale in Spain without packs.</summary>
    public static object Sale(string orderId, string modelId, string email, string customerName = "E2E Customer") => new
    {
        orderId,
        customer = new { name = customerName, email },
        modelId,
        packs = Array.Empty<string>(),
        country = "ES",
    };

    /// <summary>
    /// Polls the order through the API until it has <paramref name="status"/>; fails at once when it ends in another
    /// status, since a finished order never moves again.
    /// </summary>
    public static async Task<JsonElement> WaitForOrderAsync(HttpClient staff, string orderId, string status)
    {
        ArgumentNullException.ThrowIfNull(staff);
        JsonElement? last = null;
        try
        {
            var order = await Eventually.UntilAsync(
                async () =>
                {
                    using var response = await staff.GetAsync(new Uri($"/api/orders/{orderId}", UriKind.Relative), Ct);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return (JsonElement?)null;
                    }

                    var order = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                    last = order;
                    var current = order.GetProperty("status").GetString();
                    Assert.False(current != status && (current is "Cancelled" or "Completed"), $"Order {orderId} ended {current} while waiting for {status}: {order}");
                    return order;
                },
                order => order?.GetProperty("status").GetString() == status,
                $"order {orderId} to be {status}",
                OrderTimeout);
            return order!.Value;
        }
        catch (TimeoutException ex) when (last is { } seen)
        {
            // The status and its history first: a CI log keeps only the start of a long message.
            var history = seen.TryGetProperty("history", out var h) ? string.Join(" > ", h.EnumerateArray().Select(e => e.GetProperty("status").GetString())) : "(none)";
            throw new TimeoutException($"Order {orderId} stayed {seen.GetProperty("status").GetString()} (history: {history}) while waiting for {status}.", ex);
        }
    }

    /// <summary>Posts a webhook signed as the partner signs it and returns the platform's answer, which must be 200.</summary>
    public static async Task<JsonElement> SendWebhookAsync(HttpClient client, string route, string secret, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        var raw = JsonSerializer.Serialize(body, Json);
        using var request = Http.CaasHost.SignedRequest(route, secret, raw);
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode} {text} ({raw})");
        using var answer = JsonDocument.Parse(text);
        return answer.RootElement.Clone();
    }
}
