using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.LocalHost.Broker;

/// <summary>
/// IoT Hub's device contract, enforced by the embedded broker:
/// <list type="bullet">
/// <item>Connect: client id = device id; user name <c>{hub}/{deviceId}/?api-version=...</c>; password a SAS token for
/// <c>{hub}/devices/{deviceId}</c>, unexpired and signed with that device's own key. Anything else is CONNACK
/// "not authorized".</item>
/// <item>Subscribe: only the device's own topics (<c>$iothub/methods/POST/#</c>, its own cloud-to-device topic, the
/// twin topics). The broker creates no routing subscription for them: direct methods are delivered by the platform
/// to the one target connection (<see cref="Telemetry.MqttVehicleCommandChannel"/>), never by topic matching.
/// Any other filter (<c>#</c>, another device's topics, method responses) is refused in the SUBACK.</item>
/// <item>Publish: telemetry only as itself (<c>devices/{ownId}/messages/events/...</c>) and method responses
/// (<c>$iothub/methods/res/{status}/?$rid=</c>) only for a request in flight to this device; a response naming
/// another request is dropped. Anything else (a method request, another device's telemetry, any other topic)
/// is dropped and the connection closed, as IoT Hub closes a connection that publishes where it may not.</item>
/// </list>
/// The platform itself has no MQTT connection: it delivers requests and reads responses in-process, so there is
/// no platform client identity a device could impersonate.
/// </summary>
public sealed partial class IoTHubBrokerPolicy(
    LocalDeviceIdentityRegistry identities,
    DirectMethodRequests requests,
    IOptions<MqttBrokerOptions> options,
    TimeProvider time,
    ILogger<IoTHubBrokerPolicy> logger)
{
    /// <summary>Session item set once the connection has subscribed to its direct methods.</summary>
    public const string MethodsSubscribedItem = "iothub.methods-subscribed";

    private static readonly string[] TwinFilters = ["$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#"];

    public void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.InterceptingUnsubscriptionAsync += InterceptUnsubscriptionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
    }

    internal async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var refusal = await CheckConnectionAsync(e.ClientId, e.UserName, e.Password, e.CancellationToken);
        if (refusal is not null)
        {
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            LogConnectionRefused(logger, Printable(e.ClientId), refusal);
        }
    }

    private async Task<string?> CheckConnectionAsync(string? clientId, string? userName, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId) || !DeviceIdPattern().IsMatch(clientId))
        {
            return "the client id is not a device id";
        }

        var hub = options.Value.HubHostName;
        var parts = (userName ?? string.Empty).Split('/');
        if (parts.Length < 3 || !string.Equals(parts[0], hub, StringComparison.OrdinalIgnoreCase) || parts[1] != clientId
            || !parts[2].StartsWith("?api-version=", StringComparison.Ordinal))
        {
            return $"the user name is not '{hub}/{{deviceId}}/?api-version=...' for this client id";
        }

        byte[]? key;
        try
        {
            key = await identities.GetKeyAsync(clientId, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "the stored key does not decrypt (was Security:Pii:EncryptionKey changed? rotate the device key with POST /api/vehicles)";
        }

        if (key is null)
        {
            return "no such device";
        }

        return SharedAccessSignature.ValidateDeviceToken(password, hub, clientId, key, time.GetUtcNow());
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;

        // No routing subscription for any device topic: nothing is ever delivered by topic matching.
        e.ProcessSubscription = false;
        if (filter == IoTHubTopics.MethodRequestFilter)
        {
            e.SessionItems[MethodsSubscribedItem] = true;
        }
        else if (filter != $"devices/{e.ClientId}/messages/devicebound/#" && !TwinFilters.Contains(filter, StringComparer.Ordinal))
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogSubscriptionRefused(logger, Printable(e.ClientId), Printable(filter));
        }

        return Task.CompletedTask;
    }

    private Task InterceptUnsubscriptionAsync(InterceptingUnsubscriptionEventArgs e)
    {
        if (e.Topic == IoTHubTopics.MethodRequestFilter)
        {
            e.SessionItems.Remove(MethodsSubscribedItem);
        }

        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (IoTHubTopics.TryParseTelemetry(topic, out var deviceId, out _, out _) && deviceId == e.ClientId)
        {
            // The device's own telemetry: the ingestion takes it off the broker.
            return Task.CompletedTask;
        }

        e.ProcessPublish = false;
        if (IoTHubTopics.TryParseMethodResponse(topic, out var status, out var requestId))
        {
            var payload = e.ApplicationMessage.Payload;
            if (!requests.TryAnswer(e.ClientId, requestId, new DirectMethodResult(status, payload.IsEmpty ? null : Encoding.UTF8.GetString(payload))))
            {
                // Late (the platform stopped waiting) or not this device's request: either way it completes nothing.
                LogAnswerIgnored(logger, Printable(e.ClientId));
            }

            return Task.CompletedTask;
        }

        e.CloseConnection = true;
        LogPublishRefused(logger, Printable(e.ClientId), Printable(topic));
        return Task.CompletedTask;
    }

    /// <summary>Device-chosen text in logs: bounded and without control characters.</summary>
    private static string Printable(string? text) =>
        text is null ? string.Empty : new string([.. text.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary>IoT Hub's device id characters, less those an Azure Tables key cannot hold.</summary>
    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}$")]
    private static partial Regex DeviceIdPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection of '{ClientId}' refused: {Reason}")]
    private static partial void LogConnectionRefused(ILogger logger, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT subscription of '{ClientId}' to '{Filter}' refused: not one of its own topics")]
    private static partial void LogSubscriptionRefused(ILogger logger, string clientId, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT publish of '{ClientId}' to '{Topic}' refused and the connection closed: a device publishes only its own telemetry and answers to its own method requests")]
    private static partial void LogPublishRefused(ILogger logger, string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "A direct method answer from '{ClientId}' was ignored: no request in flight to it has that id (late, or not its request)")]
    private static partial void LogAnswerIgnored(ILogger logger, string clientId);
}
