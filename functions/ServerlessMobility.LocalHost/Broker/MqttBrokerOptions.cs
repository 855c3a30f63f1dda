using System.ComponentModel.DataAnnotations;

namespace ServerlessMobility.LocalHost.Broker;

/// <summary>The embedded MQTT broker that stands in for IoT Hub's device endpoint.</summary>
public sealed class MqttBrokerOptions
{
    public const string SectionName = "Mqtt";

    public bool Enabled { get; set; } = true;

    /// <summary>The loopback port vehicles connect to (1883 by default).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>
    /// The hub host name devices name in their MQTT user name (<c>{hub}/{deviceId}/?api-version=...</c>) and sign in
    /// their SAS tokens (<c>sr={hub}/devices/{deviceId}</c>); IoT Hub's is <c>{name}.azure-devices.net</c>.
    /// </summary>
    [Required]
    public string HubHostName { get; set; } = "localhost";
}
