using System.Net;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ServerlessMobility.Showroom.Tests.LiveUpdates;

/// <summary>Our client of Azure SignalR's data-plane REST API against WireMock: the routes, api-version, tokens and bodies the service expects.</summary>
public sealed class AzureSignalRClientTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly SignalRStandIn _service = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _service.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task SendToGroup_PostsTargetAndArgument_ToTheGroupsSendRoute_WithATokenForThatUrl()
    {
        await Client().SendToGroupAsync("showroom.inventory.staff.ZGVhbGVyLWE", "inventoryChange", new { vin = "WSM1", version = 3 }, Ct);

        var call = Assert.Single(_service.Calls("POST", "/api/hubs/showroom/groups/showroom.inventory.staff.ZGVhbGVyLWE/:send"));
        Assert.Equal("2022-06-01", call.RequestMessage.Query!["api-version"].Single());
        var claims = SignalRStandIn.VerifiedRestClaims(call);
        Assert.Equal(Now.AddMinutes(5).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        var (target, argument) = Assert.Single(_service.SentTo("showroom.inventory.staff.ZGVhbGVyLWE"));
        Assert.Equal(("inventoryChange", "WSM1", 3), (target, argument.GetProperty("vin").GetString(), argument.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task AddUserToGroup_PutsTheUser_WithTtlInWholeSeconds()
    {
        await Client(hub: "Showroom").AddUserToGroupAsync("g.1", "user-1", TimeSpan.FromMinutes(59.5), Ct);

        var call = Assert.Single(_service.Calls("PUT", "/api/hubs/showroom/groups/g.1/users/user-1"));
        Assert.Equal(("2022-06-01", "3570"), (call.RequestMessage.Query!["api-version"].Single(), call.RequestMessage.Query["ttl"].Single()));
        SignalRStandIn.VerifiedRestClaims(call);
    }

    [Fact]
    public void ClientAccess_IsTheHubsClientUrl_WithAUserTokenForIt()
    {
        var access = Client().ClientAccess("user-1", TimeSpan.FromHours(1));

        Assert.Equal($"{_service.Endpoint}/client/?hub=showroom", access.Url.AbsoluteUri);
        Assert.Equal(Now.AddHours(1), access.ExpiresAt);
        var claims = SignalRStandIn.VerifiedClaims(access.AccessToken);
        Assert.Equal((access.Url.AbsoluteUri, "user-1", Now.AddHours(1).ToUnixTimeSeconds()),
            (claims.GetProperty("aud").GetString(), claims.GetProperty("nameid").GetString(), claims.GetProperty("exp").GetInt64()));
    }

    [Fact]
    public async Task ServiceError_IsAnHttpRequestException_WithTheStatus()
    {
        _service.Server.Given(Request.Create().UsingPost()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(500));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Client().SendToGroupAsync("g", "t", 1, Ct));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1hub")]
    [InlineData("show-room")]
    public void Hub_NotLettersDigitsUnderscores_IsRefused(string hub) => Assert.Throws<ArgumentException>(() => Client(hub));

    private AzureSignalRClient Client(string hub = "showroom") =>
        new(AzureSignalRConnection.Parse(_service.ConnectionString), hub, _services.GetRequiredService<IHttpClientFactory>(), new FakeTimeProvider(Now),
            Options.Create(new JsonOptions()));
}
