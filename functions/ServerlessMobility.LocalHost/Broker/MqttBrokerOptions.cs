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
}
