using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;

namespace ServerlessMobility.Showroom.Tests.LiveUpdates;

public sealed class AzureSignalRConnectionTests
{
    [Fact]
    public void Parse_AccessKeyString_KeepsEndpointAndKey_WithTheBase64PaddingOfTheKey()
    {
        var connection = AzureSignalRConnection.Parse(" endpoint=https://sm-dev.service.signalr.net/ ; AccessKey=abc+/def==;Version=1.0;");

        Assert.Equal(new Uri("https://sm-dev.service.signalr.net"), connection.Endpoint);
        Assert.Equal(connection.Endpoint, connection.ServerEndpoint);
        Assert.Equal("abc+/def==", connection.AccessKey);
        Assert.DoesNotContain("abc", connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Port_MovesOnlyTheServerEndpoint()
    {
        var connection = AzureSignalRConnection.Parse("Endpoint=https://sm-dev.service.signalr.net;AccessKey=k;Version=1.0;Port=8443;");

        Assert.Equal(new Uri("https://sm-dev.service.signalr.net:8443"), connection.ServerEndpoint);
        Assert.Equal(new Uri("https://sm-dev.service.signalr.net"), connection.Endpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccessKey=k;Version=1.0;", "Endpoint")]
    [InlineData("Endpoint=sm-dev.service.signalr.net;AccessKey=k;", "Endpoint")]
    [InlineData("Endpoint=ftp://sm-dev.service.signalr.net;AccessKey=k;", "Endpoint")]
    [InlineData("Endpoint=https://sm-dev.service.signalr.net/hub;AccessKey=k;", "Endpoint")]
    [InlineData("Endpoint=https://sm-dev.service.signalr.net;Version=1.0;", "AccessKey")]
    [InlineData("Endpoint=https://sm-dev.service.signalr.net;AuthType=azure.msi;Version=1.0;", "AuthType")]
    [InlineData("Endpoint=https://sm-dev.service.signalr.net;AccessKey=k;Version=2.0;", "Version")]
    [InlineData("Endpoint=https://sm-dev.service.signalr.net;AccessKey=k;Port=http;", "Port")]
    [InlineData("Endpoint=https://sm-dev.service.signalr.net;AccessKey=k;Port=70000;", "Port")]
    [InlineData("Endpoint=https://sm-dev.service.signalr.net;AccessKey=k;garbage", "key=value")]
    [InlineData("Endpoint=https://a.service.signalr.net;Endpoint=https://b.service.signalr.net;AccessKey=k;", "twice")]
    public void Parse_BadString_FailsNamingTheFault_NeverTheKey(string connectionString, string named)
    {
        var error = Assert.Throws<FormatException>(() => AzureSignalRConnection.Parse(connectionString));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AccessKey=k", error.Message, StringComparison.Ordinal);
    }
}
