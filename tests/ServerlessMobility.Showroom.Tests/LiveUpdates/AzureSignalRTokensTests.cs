using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;

namespace ServerlessMobility.Showroom.Tests.LiveUpdates;

public sealed class AzureSignalRTokensTests
{
    private static readonly DateTimeOffset Now = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_SignsAudienceTimesAndUser_WithTheAccessKey()
    {
        var token = AzureSignalRTokens.Create("https://sm.service.signalr.net/client/?hub=showroom", Now, Now.AddHours(1), SignalRStandIn.AccessKey, "user-1");

        var claims = SignalRStandIn.VerifiedClaims(token);
        Assert.Equal("https://sm.service.signalr.net/client/?hub=showroom", claims.GetProperty("aud").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.Equal(Now.AddHours(1).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        Assert.Equal("user-1", claims.GetProperty("nameid").GetString());
    }

    [Fact]
    public void Create_WithoutUser_HasNoUserClaim_AndAnotherKeyDoesNotVerifyIt()
    {
        var token = AzureSignalRTokens.Create("https://sm.service.signalr.net/api/hubs/showroom/groups/g/:send", Now, Now.AddMinutes(5), SignalRStandIn.AccessKey);

        Assert.False(SignalRStandIn.VerifiedClaims(token).TryGetProperty("nameid", out _));
        Assert.ThrowsAny<Exception>(() => SignalRStandIn.VerifiedClaims(token, "another-key"));
    }

    [Fact]
    public void Create_ExpiryNotAfterIssue_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AzureSignalRTokens.Create("https://sm.service.signalr.net/x", Now, Now, SignalRStandIn.AccessKey));
}
