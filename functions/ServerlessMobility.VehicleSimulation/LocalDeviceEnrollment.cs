using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessMobility.VehicleSimulation;

/// <summary>
/// Gets device credentials from a local host running in Development, as a dealership would: a Development token
/// from <c>POST /api/dev/token</c> (a route that exists nowhere else), then <c>POST /api/vehicles</c> with
/// <c>rotateDeviceKey: true</c>, whose response shows the vehicle's new key once. Rotating makes a re-run work
/// although the previous key cannot be shown again.
/// </summary>
public static class LocalDeviceEnrollment
{
    private static readonly string[] Roles = ["dealer-staff"];

    public static Task<IReadOnlyList<string>> ConnectionStringsAsync(HttpClient api, string tenantId, IEnumerable<string> vins, CancellationToken cancellationToken) =>
        ConnectionStringsAsync(api, tenantId, vins, ownerSubject: null, model: "simulated", cancellationToken);

    /// <param name="ownerSubject">
    /// Who owns the vehicles (a customer's subject), or null for none. A registration replaces the owner and model
    /// on record, so a simulator standing in for a customer's vehicle must name them again.
    /// </param>
    /// <param name="model">The model id, which decides the features the vehicle is offered.</param>
    public static async Task<IReadOnlyList<string>> ConnectionStringsAsync(HttpClient api, string tenantId, IEnumerable<string> vins, string? ownerSubject, string model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(vins);
        using var tokenResponse = await api.PostAsJsonAsync("api/dev/token", new { subject = "vehicle-simulator", tenantId, roles = Roles }, cancellationToken);
        if (!tokenResponse.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"No Development token from {api.BaseAddress}api/dev/token ({(int)tokenResponse.StatusCode}): is the local host running in Development (scripts/run-local.sh)?");
        }

        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();
        var result = new List<string>();
        foreach (var vin in vins)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/vehicles") { Content = JsonContent.Create(new { vin, ownerSubject, model, rotateDeviceKey = true }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await api.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Registering {vin} failed ({(int)response.StatusCode}): {body}");
            }

            using var registered = JsonDocument.Parse(body);
            result.Add(registered.RootElement.GetProperty("device").GetProperty("connectionString").GetString()
                ?? throw new InvalidOperationException($"The registration of {vin} returned no device credentials."));
        }

        return result;
    }
}
