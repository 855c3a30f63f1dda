using System.Globalization;

namespace ServerlessMobility.Telemetry;

/// <summary>IoT Hub's MQTT topic conventions, parsed without allocating more than needed.</summary>
public static class IoTHubTopics
{
    public const string MethodRequestFilter = "$iothub/methods/POST/#";
    public const string MethodResponsePrefix = "$iothub/methods/res/";

    /// <summary>
    /// <c>devices/{deviceId}/messages/events/{property_bag}</c>: the bag is URL-encoded
    /// <c>key=value&amp;...</c>; system properties start with <c>$.</c> (<c>$.mid</c> is the message id).
    /// </summary>
    public static bool TryParseTelemetry(string topic, out string deviceId, out string? messageId, out Dictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(topic);
        deviceId = string.Empty;
        messageId = null;
        properties = new Dictionary<string, string>(StringComparer.Ordinal);
        const string Prefix = "devices/";
        const string Middle = "/messages/events/";
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var middleAt = topic.IndexOf(Middle, Prefix.Length, StringComparison.Ordinal);
        if (middleAt <= Prefix.Length)
        {
            // IoT Hub also accepts the topic without the trailing slash.
            if (topic.EndsWith("/messages/events", StringComparison.Ordinal))
            {
                deviceId = topic[Prefix.Length..^"/messages/events".Length];
                return deviceId.Length > 0 && !deviceId.Contains('/', StringComparison.Ordinal);
            }

            return false;
        }

        deviceId = topic[Prefix.Length..middleAt];
        var bag = topic[(middleAt + Middle.Length)..];
        foreach (var pair in bag.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (key == "$.mid")
            {
                messageId = value;
            }

            properties[key] = value;
        }

        return deviceId.Length > 0 && !deviceId.Contains('/', StringComparison.Ordinal);
    }

    public static string MethodRequest(string method, string requestId) => $"$iothub/methods/POST/{method}/?$rid={requestId}";

    public static string MethodResponse(int status, string requestId) =>
        string.Create(CultureInfo.InvariantCulture, $"{MethodResponsePrefix}{status}/?$rid={requestId}");

    /// <summary><c>$iothub/methods/res/{status}/?$rid={rid}</c>.</summary>
    public static bool TryParseMethodResponse(string topic, out int status, out string requestId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        status = 0;
        requestId = string.Empty;
        if (!topic.StartsWith(MethodResponsePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(MethodResponsePrefix.Length);
        var slash = rest.IndexOf('/');
        var ridAt = rest.IndexOf("$rid=", StringComparison.Ordinal);
        if (slash <= 0 || ridAt < 0 || !int.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out status))
        {
            return false;
        }

        var rid = rest[(ridAt + 5)..];
        var amp = rid.IndexOf('&');
        requestId = (amp < 0 ? rid : rid[..amp]).ToString();
        return requestId.Length > 0;
    }

    /// <summary><c>$iothub/methods/POST/{method}/?$rid={rid}</c>, as the device sees it.</summary>
    public static bool TryParseMethodRequest(string topic, out string method, out string requestId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        method = string.Empty;
        requestId = string.Empty;
        const string Prefix = "$iothub/methods/POST/";
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var ridAt = rest.IndexOf("$rid=", StringComparison.Ordinal);
        if (slash <= 0 || ridAt < 0)
        {
            return false;
        }

        method = rest[..slash];
        requestId = rest[(ridAt + 5)..];
        return requestId.Length > 0;
    }

    /// <summary>A stable partition for a device (FNV-1a), as IoT Hub pins a device to one partition.</summary>
    public static int PartitionFor(string deviceId, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var hash = 2166136261u;
        foreach (var c in deviceId)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash % (uint)partitionCount);
    }
}
