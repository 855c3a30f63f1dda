using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.FunctionsApp.Vehicles;

/// <summary>
/// Direct methods through IoT Hub's service REST API (<c>POST /twins/{deviceId}/methods</c>), authorised with
/// the app's managed identity (role "IoT Hub Data Contributor"). IoT Hub delivers the request to the target
/// device's connection only and only that device's answer comes back. A device that is offline or silent is a
/// <see cref="VehicleCommandTimeoutException"/> the workflow's retry policy handles; throttling and server
/// errors throw so the policy retries them too. (The IoT Hub service SDK is not restorable where we build;
/// its REST API is the same contract.)
/// </summary>
public sealed class IoTHubDirectMethodChannel(HttpClient http, TokenCredential credential) : IVehicleCommandChannel
{
    public const string ApiVersion = "2021-04-12";
    private static readonly string[] Scopes = ["https://iothubs.azure.net/.default"];
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public async Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"twins/{Uri.EscapeDataString(deviceId)}/methods?api-version={ApiVersion}")
        {
            Content = JsonContent.Create(new
            {
                methodName,
                responseTimeoutInSeconds = (int)Math.Ceiling(responseTimeout.TotalSeconds),
                connectTimeoutInSeconds = (int)ConnectTimeout.TotalSeconds,
                payload = JsonNode.Parse(payloadJson),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var response = await http.SendAsync(request, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                var result = await response.Content.ReadFromJsonAsync<MethodResult>(cancellationToken)
                    ?? throw new InvalidOperationException("IoT Hub answered 200 without a method result.");
                return new DirectMethodResult(result.Status, result.Payload?.ToJsonString());
            case HttpStatusCode.NotFound or HttpStatusCode.GatewayTimeout:
                // 404103 device not online / 404001 not registered, 504101 no answer in time: the vehicle may be asleep.
                throw new VehicleCommandTimeoutException(deviceId, methodName, responseTimeout);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new InvalidOperationException($"IoT Hub refused the app's identity ({(int)response.StatusCode}): grant it 'IoT Hub Data Contributor' on the hub.");
            default:
                throw new HttpRequestException($"IoT Hub answered {(int)response.StatusCode} to '{methodName}' on '{deviceId}': {await response.Content.ReadAsStringAsync(cancellationToken)}",
                    null, response.StatusCode);
        }
    }

    private sealed record MethodResult(int Status, JsonNode? Payload);
}
