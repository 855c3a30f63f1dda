using Azure.Messaging.EventHubs;
using ServerlessMobility.FunctionsApp.Telemetry;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>What IoT Hub's Event Hubs endpoint delivers becomes the pipeline's telemetry batch (the trigger itself compiles only in the full-feed build).</summary>
public class IoTHubEventsTests
{
    [Fact]
    public void ToBatch_IoTHubEvent_CarriesDeviceEnqueuedTimeSequenceMessageIdPropertiesAndBody()
    {
        var enqueued = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        var data = EventHubsModelFactory.EventData(
            new BinaryData("""{"speedKmh":42}"""u8.ToArray()),
            new Dictionary<string, object> { ["schema"] = "telemetry/v1" },
            new Dictionary<string, object> { ["iothub-connection-device-id"] = "WDEMX000000000001" },
            null,
            1234,
            "0",
            enqueued);
        data.MessageId = "m-1";

        var message = Assert.Single(IoTHubEvents.ToBatch([data], "3"));

        Assert.Equal("WDEMX000000000001", message.DeviceId);
        Assert.Equal(enqueued, message.EnqueuedTime);
        Assert.Equal("3", message.PartitionId);
        Assert.Equal(1234, message.SequenceNumber);
        Assert.Equal("m-1", message.MessageId);
        Assert.Equal("telemetry/v1", message.Properties["schema"]);
        Assert.Equal("""{"speedKmh":42}""", System.Text.Encoding.UTF8.GetString(message.Body.Span));
    }

    /// <summary>An event that did not come through IoT Hub names no device: the pipeline parks it as malformed rather than guess.</summary>
    [Fact]
    public void ToBatch_EventWithoutIoTHubDevice_HasAnEmptyDeviceId()
    {
        var data = EventHubsModelFactory.EventData(new BinaryData("{}"u8.ToArray()), null, null, null, 1, "0", DateTimeOffset.UnixEpoch);

        Assert.Equal(string.Empty, Assert.Single(IoTHubEvents.ToBatch([data], "0")).DeviceId);
    }
}
