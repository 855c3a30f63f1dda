using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessMobility.Integrations.Outbound;

/// <summary>How every partner adapter speaks: JSON in the web defaults, an Idempotency-Key on every POST.</summary>
public static class PartnerWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpRequestMessage Post(string path, object body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };

        // Retries by the resilience pipeline resend the same key, so the provider acts once.
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException($"Empty response from {response.RequestMessage?.RequestUri}.");
    }
}
