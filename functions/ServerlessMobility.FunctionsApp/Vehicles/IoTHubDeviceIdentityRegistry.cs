using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Core;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.FunctionsApp.Vehicles;

/// <summary>
/// Device identities in IoT Hub's identity registry through its service REST API (<c>PUT /devices/{deviceId}</c>,
/// the call <c>az iot hub device-identity create</c> makes), authorised with the app's managed identity (role
/// "IoT Hub Data Contributor", which includes registry write). The platform generates the symmetric keys (256
/// random bits, as IoT Hub's own) and hands them to IoT Hub; IoT Hub keeps them and checks the devices' SAS
/// tokens, so the app stores no key at all: the primary key is returned once, in the registration response.
/// Create is <c>If-None-Match: *</c> (an existing identity is left alone and its key is not shown again);
/// rotation is <c>If-Match: *</c>.
/// </summary>
public sealed class IoTHubDeviceIdentityRegistry(HttpClient http, TokenCredential credential) : IDeviceIdentityRegistry
{
    private static readonly string[] Scopes = ["https://iothubs.azure.net/.default"];

    public async Task<DeviceCredentials?> EnsureAsync(string deviceId, bool rotateKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var primaryKey = DeviceKeys.NewKey();
        var body = new
        {
            deviceId,
            status = "enabled",
            authentication = new { type = "sas", symmetricKey = new { primaryKey, secondaryKey = DeviceKeys.NewKey() } },
        };
        var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"devices/{Uri.EscapeDataString(deviceId)}?api-version={IoTHubDirectMethodChannel.ApiVersion}")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        if (rotateKey)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
        }
        else
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK or HttpStatusCode.Created:
                return new DeviceCredentials(deviceId, http.BaseAddress?.Host ?? string.Empty, primaryKey);
            case HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict when !rotateKey:
                return null;
            case HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound when rotateKey:
                // Nothing to rotate: create it.
                return await EnsureAsync(deviceId, rotateKey: false, cancellationToken);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new InvalidOperationException($"IoT Hub refused the app's identity ({(int)response.StatusCode}): grant it 'IoT Hub Data Contributor' on the hub.");
            default:
                throw new HttpRequestException($"IoT Hub answered {(int)response.StatusCode} to creating device '{deviceId}'.", null, response.StatusCode);
        }
    }
}
