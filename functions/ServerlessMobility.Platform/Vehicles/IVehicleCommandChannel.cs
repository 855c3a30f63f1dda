namespace ServerlessMobility.Platform.Vehicles;

/// <summary>
/// Invokes a direct method on a vehicle: IoT Hub's service client in Azure, the embedded MQTT broker's
/// <c>$iothub/methods/POST/{method}/?$rid=</c> topics locally.
/// </summary>
public interface IVehicleCommandChannel
{
    /// <exception cref="VehicleCommandTimeoutException">The vehicle did not answer in time (it may be asleep); retryable.</exception>
    Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default);
}

/// <summary>The device's answer: an HTTP-like status and a JSON payload.</summary>
public sealed record DirectMethodResult(int Status, string? PayloadJson)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

public sealed class VehicleCommandTimeoutException : TimeoutException
{
    public VehicleCommandTimeoutException(string deviceId, string methodName, TimeSpan timeout)
        : base($"Vehicle '{deviceId}' did not answer '{methodName}' within {timeout}.")
    {
        DeviceId = deviceId;
        MethodName = methodName;
    }

    public VehicleCommandTimeoutException()
        : this(string.Empty, string.Empty, TimeSpan.Zero)
    {
    }

    public VehicleCommandTimeoutException(string message)
        : base(message)
    {
        DeviceId = string.Empty;
        MethodName = string.Empty;
    }

    public VehicleCommandTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        DeviceId = string.Empty;
        MethodName = string.Empty;
    }

    public string DeviceId { get; }

    public string MethodName { get; }
}
