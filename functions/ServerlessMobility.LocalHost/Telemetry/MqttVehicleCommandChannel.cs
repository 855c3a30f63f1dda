using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.LocalHost.Broker;

namespace ServerlessMobility.LocalHost.Telemetry;

/// <summary>
/// Direct methods over the embedded broker, as IoT Hub does them: the request
/// <c>$iothub/methods/POST/{method}/?$rid={rid}</c> goes to the target device's connection only (enqueued on that
/// one session, never published by topic, so no other client can receive it), the rid is 128 random bits, and only
/// that connection's <c>$iothub/methods/res/{status}/?$rid={rid}</c> completes it (<see cref="IoTHubBrokerPolicy"/>).
/// A device that is not connected, has not subscribed to its methods or does not answer in time is a
/// <see cref="VehicleCommandTimeoutException"/> (IoT Hub answers 404/504; both are retryable).
/// </summary>
public sealed class MqttVehicleCommandChannel(MqttBroker broker, DirectMethodRequests requests) : IVehicleCommandChannel
{
    public async Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        var clients = await broker.Server.GetClientsAsync();
        var session = clients.FirstOrDefault(c => string.Equals(c.Id, deviceId, StringComparison.Ordinal))?.Session;
        if (session is null || !session.Items.Contains(IoTHubBrokerPolicy.MethodsSubscribedItem))
        {
            throw new VehicleCommandTimeoutException(deviceId, methodName, responseTimeout);
        }

        var (requestId, answer) = requests.Begin(deviceId);
        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(IoTHubTopics.MethodRequest(methodName, requestId))
                .WithPayload(Encoding.UTF8.GetBytes(string.IsNullOrEmpty(payloadJson) ? "null" : payloadJson))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            if (!session.TryEnqueueApplicationMessage(message, out _))
            {
                throw new VehicleCommandTimeoutException(deviceId, methodName, responseTimeout);
            }

            return await answer.WaitAsync(responseTimeout, cancellationToken);
        }
        catch (TimeoutException ex) when (ex is not VehicleCommandTimeoutException)
        {
            throw new VehicleCommandTimeoutException(deviceId, methodName, responseTimeout);
        }
        finally
        {
            requests.End(requestId);
        }
    }
}
