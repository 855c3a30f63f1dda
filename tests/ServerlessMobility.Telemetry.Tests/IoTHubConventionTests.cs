using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Telemetry.Tests;

public class IoTHubConventionTests
{
    [Fact]
    public void TryParseTelemetry_PropertyBag_ReadsDeviceMessageIdAndProperties()
    {
        var ok = IoTHubTopics.TryParseTelemetry("devices/WVIN1/messages/events/$.mid=m%201&$.ct=application%2Fjson&trip=42", out var device, out var messageId, out var properties);

        Assert.True(ok);
        Assert.Equal("WVIN1", device);
        Assert.Equal("m 1", messageId);
        Assert.Equal("application/json", properties["$.ct"]);
        Assert.Equal("42", properties["trip"]);
    }

    [Theory]
    [InlineData("devices//messages/events/")]
    [InlineData("devices/a/b/messages/events/")]
    [InlineData("other/WVIN1/messages/events/")]
    public void TryParseTelemetry_InvalidTopic_ReturnsFalse(string topic)
    {
        Assert.False(IoTHubTopics.TryParseTelemetry(topic, out _, out _, out _));
    }

    [Fact]
    public void MethodTopics_RoundTrip_KeepStatusMethodAndRequestId()
    {
        Assert.True(IoTHubTopics.TryParseMethodRequest(IoTHubTopics.MethodRequest("immobilize", "17"), out var method, out var rid));
        Assert.True(IoTHubTopics.TryParseMethodResponse(IoTHubTopics.MethodResponse(504, "17"), out var status, out var responseRid));

        Assert.Equal(("immobilize", "17"), (method, rid));
        Assert.Equal((504, "17"), (status, responseRid));
    }

    [Fact]
    public void SasToken_Create_SignsEncodedResourceAndExpiry()
    {
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef"));
        var expiry = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var token = SasToken.Create("myhub.azure-devices.net/devices/WVIN1", key, expiry);

        var expectedSignature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes("myhub.azure-devices.net%2Fdevices%2FWVIN1\n1893456000")));
        Assert.Equal($"SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2FWVIN1&sig={Uri.EscapeDataString(expectedSignature)}&se=1893456000", token);
    }

    [Fact]
    public void ValidateDeviceToken_OwnKeyResourceAndExpiry_Accepted_AnythingElseSaysWhy()
    {
        var key = Convert.FromBase64String(ServerlessMobility.Platform.Vehicles.DeviceKeys.NewKey());
        var base64 = Convert.ToBase64String(key);
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var valid = ServerlessMobility.Platform.Vehicles.SharedAccessSignature.ForDevice("localhost", "WVIN1", base64, now.AddHours(1));
        string? Check(string? token, string device = "WVIN1", DateTimeOffset? at = null) =>
            ServerlessMobility.Platform.Vehicles.SharedAccessSignature.ValidateDeviceToken(token, "localhost", device, key, at ?? now);

        Assert.Null(Check(valid));
        Assert.Null(ServerlessMobility.Platform.Vehicles.SharedAccessSignature.ValidateDeviceToken(valid, "LOCALHOST", "WVIN1", key, now));
        Assert.NotNull(Check(valid, at: now.AddHours(1)));
        Assert.NotNull(Check(valid, device: "WVIN2"));
        Assert.NotNull(Check(valid, device: "wvin1"));
        Assert.NotNull(Check(valid.Replace("&se=", "&se=1", StringComparison.Ordinal)));
        Assert.NotNull(Check(valid + "&skn=device"));
        Assert.NotNull(Check(valid + "&sr=other"));
        Assert.NotNull(Check(valid.Replace("SharedAccessSignature ", string.Empty, StringComparison.Ordinal)));
        Assert.NotNull(Check(ServerlessMobility.Platform.Vehicles.SharedAccessSignature.ForDevice("localhost", "WVIN1", ServerlessMobility.Platform.Vehicles.DeviceKeys.NewKey(), now.AddHours(1))));
        Assert.NotNull(Check(null));
        Assert.NotNull(Check("SharedAccessSignature sr=localhost%2Fdevices%2FWVIN1&sig=%%%&se=99999999999"));
    }

    [Fact]
    public void FromConnectionString_DeviceConnectionString_UsesTls8883AndIoTHubUserName()
    {
        var key = Convert.ToBase64String(new byte[32]);
        var connection = IoTHubConnection.FromConnectionString($"HostName=myhub.azure-devices.net;DeviceId=WVIN1;SharedAccessKey={key}", TimeProvider.System);

        Assert.Equal(("myhub.azure-devices.net", 8883, true), (connection.Host, connection.Port, connection.UseTls));
        Assert.Equal("myhub.azure-devices.net/WVIN1/?api-version=2021-04-12", connection.UserName);
        Assert.StartsWith("SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2FWVIN1&sig=", connection.Password, StringComparison.Ordinal);
    }

    [Fact]
    public void PartitionFor_SameDevice_AlwaysSamePartition()
    {
        var partitions = Enumerable.Range(0, 200).Select(i => IoTHubTopics.PartitionFor($"WVIN{i}", 4)).ToList();

        Assert.All(partitions, p => Assert.InRange(p, 0, 3));
        Assert.Equal(4, partitions.Distinct().Count());
        Assert.Equal(IoTHubTopics.PartitionFor("WVIN7", 4), IoTHubTopics.PartitionFor("WVIN7", 4));
    }

    [Fact]
    public void Geofence_Validate_RejectsCircleAndPolygonTogether()
    {
        var both = new Geofence("g", "V", "Zone", GeofenceKind.Allowed, new GeoPoint(1, 1), 10, [new(0, 0), new(0, 1), new(1, 1)]);
        var tiny = new Geofence("g", "V", "Zone", GeofenceKind.Allowed, null, null, [new(0, 0), new(0, 1)]);

        Assert.NotNull(both.Validate());
        Assert.NotNull(tiny.Validate());
    }
}
