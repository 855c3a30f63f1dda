using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Server;
using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.Core.Vehicles;
using ServerlessMobility.LocalHost.Broker;

namespace ServerlessMobility.LocalHost.Telemetry;

/// <summary>
/// Direct methods over the embedded broker, as IoT Hub does them: publish the request on
/// <c>$iothub/methods/POST/{method}/?$rid={rid}</c> to the device and wait for its
/// <c>$iothub/methods/res/{status}/?$rid={rid}</c>. A device that is not connected or does not answer in
/// time is a <see cref="VehicleCommandTimeoutException"/> (IoT Hub answers 404/504; both are retryable).
/// </summary>
public sealed class MqttVehicleCommandChannel : IVehicleCommandChannel, IDisposable
{
    private readonly MqttBroker _broker;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DirectMethodResult>> _pending = new(StringComparer.Ordinal);
    private long _nextRequestId;

    public MqttVehicleCommandChannel(MqttBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _broker = broker;
        _broker.Server.InterceptingPublishAsync += OnPublishAsync;
    }

    public async Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        var clients = await _broker.Server.GetClientsAsync();
        if (!clients.Any(c => c.Id == deviceId))
        {
            throw new VehicleCommandTimeoutException(deviceId, methodName, responseTimeout);
        }

        var requestId = Interlocked.Increment(ref _nextRequestId).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<DirectMethodResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = completion;
        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(IoTHubTopics.MethodRequest(methodName, requestId))
                .WithPayload(Encoding.UTF8.GetBytes(string.IsNullOrEmpty(payloadJson) ? "null" : payloadJson))
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            await _broker.Server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "$iothub" }, cancellationToken);
            return await completion.Task.WaitAsync(responseTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new VehicleCommandTimeoutException(deviceId, methodName, responseTimeout);
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    public void Dispose() => _broker.Server.InterceptingPublishAsync -= OnPublishAsync;

    private Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        if (!IoTHubTopics.TryParseMethodResponse(e.ApplicationMessage.Topic, out var status, out var requestId))
        {
            return Task.CompletedTask;
        }

        // Responses are for the platform only.
        e.ProcessPublish = false;
        if (_pending.TryGetValue(requestId, out var completion))
        {
            var payload = e.ApplicationMessage.Payload;
            completion.TrySetResult(new DirectMethodResult(status, payload.IsEmpty ? null : Encoding.UTF8.GetString(payload)));
        }

        return Task.CompletedTask;
    }
}
