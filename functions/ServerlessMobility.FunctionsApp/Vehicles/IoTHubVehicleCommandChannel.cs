using Microsoft.Azure.Devices;
using Microsoft.Azure.Devices.Common.Exceptions;
using ServerlessMobility.Core.Vehicles;

namespace ServerlessMobility.FunctionsApp.Vehicles;

/// <summary>Direct methods through IoT Hub's service client; an offline or silent device is a timeout the caller may retry.</summary>
public sealed class IoTHubVehicleCommandChannel(ServiceClient client) : IVehicleCommandChannel
{
    public async Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default)
    {
        var method = new CloudToDeviceMethod(methodName, responseTimeout, TimeSpan.FromSeconds(10));
        method.SetPayloadJson(payloadJson);
        try
        {
            var result = await client.InvokeDeviceMethodAsync(deviceId, method, cancellationToken);
            return new DirectMethodResult(result.Status, result.GetPayloadAsJson());
        }
        catch (Exception ex) when (ex is DeviceNotFoundException or IotHubCommunicationException or TimeoutException)
        {
            throw new VehicleCommandTimeoutException(deviceId, methodName, responseTimeout);
        }
    }
}
