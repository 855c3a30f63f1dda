using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServerlessMobility.Showroom.LiveUpdates;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ServerlessMobility.Showroom.Tests.LiveUpdates;

/// <summary>
/// Azure SignalR Service's data-plane REST API stood in for by WireMock on loopback: it accepts every call unless a test
/// stubs otherwise, and reads back what the app sent and whether its tokens would pass the service.
/// </summary>
internal sealed class SignalRStandIn : IDisposable
{
    public const string AccessKey = "c3RhbmQtaW4ta2V5LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3ODk=";

    public SignalRStandIn()
    {
        Server.Given(Request.Create().UsingAnyMethod()).AtPriority(100).RespondWith(Response.Create().WithStatusCode(202));
    }

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string Endpoint => Server.Url!;

    public string ConnectionString => $"Endpoint={Endpoint};AccessKey={AccessKey};Version=1.0;";

    public Dictionary<string, string?> Settings(string hub = "showroom") => new()
    {
        [$"{ShowroomLiveOptions.SectionName}:ConnectionString"] = ConnectionString,
        [$"{ShowroomLiveOptions.SectionName}:Hub"] = hub,
    };

    /// <summary>The messages sent to <paramref name="group"/> so far: target and single argument, in order.</summary>
    public List<(string Target, JsonElement Argument)> SentTo(string group, string hub = "showroom") =>
        [.. Calls("POST", $"/api/hubs/{hub}/groups/{Uri.EscapeDataString(group)}/:send").Select(e =>
        {
            var body = JsonDocument.Parse(e.RequestMessage.Body!).RootElement.Clone();
            return (body.GetProperty("target").GetString()!, Assert.Single(body.GetProperty("arguments").EnumerateArray()));
        })];

    public List<ILogEntry> Calls(string method, string path) =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.AbsolutePath == path)];

    public void Dispose() => Server.Dispose();

    /// <summary>The token's claims, after checking its header and its HS256 signature with <paramref name="key"/> (as the service does).</summary>
    public static JsonElement VerifiedClaims(string token, string key = AccessKey)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(FromBase64Url(parts[0])).RootElement;
        Assert.Equal(("HS256", "JWT"), (header.GetProperty("alg").GetString(), header.GetProperty("typ").GetString()));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, FromBase64Url(parts[2])), "The token's signature does not verify with the access key.");
        return JsonDocument.Parse(FromBase64Url(parts[1])).RootElement.Clone();
    }

    /// <summary>The claims of the bearer token of <paramref name="call"/>, which must name the URL called (without its query) as audience.</summary>
    public static JsonElement VerifiedRestClaims(ILogEntry call)
    {
        var authorization = Assert.Single(call.RequestMessage.Headers!["Authorization"]);
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        var claims = VerifiedClaims(authorization["Bearer ".Length..]);
        var url = new Uri(call.RequestMessage.Url);
        Assert.Equal(url.GetLeftPart(UriPartial.Path), claims.GetProperty("aud").GetString());
        return claims;
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
