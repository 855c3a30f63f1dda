using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Platform.LiveUpdates.AzureSignalR;

/// <summary>What a client needs to connect to the hub: the service's client URL and a token for it.</summary>
public sealed record AzureSignalRClientAccess(Uri Url, string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Our client of the Azure SignalR Service data-plane REST API (serverless mode, api-version 2022-06-01): send to a
/// group, put a user in a group, and the client's negotiate answer. Clients only listen; the app speaks through REST.
/// Each call signs its own token (audience the URL called, valid for a few minutes), so a rotated key takes effect on restart.
/// </summary>
public sealed partial class AzureSignalRClient
{
    /// <summary>The named client of <see cref="IHttpClientFactory"/> this adapter calls through.</summary>
    public const string HttpClientName = "AzureSignalR";

    public const string ApiVersion = "2022-06-01";

    private static readonly TimeSpan RestTokenLifetime = TimeSpan.FromMinutes(5);

    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly JsonSerializerOptions _json;

    /// <param name="hub">Letters, digits and underscores, starting with a letter (the service's rule); kept lower-case as the service does.</param>
    public AzureSignalRClient(AzureSignalRConnection connection, string hub, IHttpClientFactory http, TimeProvider time, IOptions<JsonOptions> json)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(json);
        if (!IsHubName(hub))
        {
            throw new ArgumentException($"'{hub}' is not a hub name: letters, digits and underscores, starting with a letter.", nameof(hub));
        }

        Connection = connection;
        Hub = hub.ToLowerInvariant();
        _http = http;
        _time = time;
        _json = json.Value.SerializerOptions;
    }

    public AzureSignalRConnection Connection { get; }

    public string Hub { get; }

    public static bool IsHubName(string? hub) => hub is not null && HubName().IsMatch(hub);

    /// <summary><c>POST /api/hubs/{hub}/groups/{group}/:send</c>: the clients in <paramref name="group"/> receive <paramref name="target"/> with one argument.</summary>
    public async Task SendToGroupAsync<T>(string group, string target, T argument, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        using var request = Request(HttpMethod.Post, $"groups/{Segment(group)}/:send", query: null);
        request.Content = JsonContent.Create(new HubMessage<T>(target, [argument]), options: _json);
        await SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// <c>PUT /api/hubs/{hub}/groups/{group}/users/{user}</c>: every connection of <paramref name="userId"/>, now and later,
    /// is in the group until <paramref name="ttl"/> has passed (whole seconds; none: until removed).
    /// </summary>
    public async Task AddUserToGroupAsync(string group, string userId, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var query = ttl is { } t ? "ttl=" + ((long)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
        using var request = Request(HttpMethod.Put, $"groups/{Segment(group)}/users/{Segment(userId)}", query);
        await SendAsync(request, cancellationToken);
    }

    /// <summary>The negotiate answer of serverless mode: the client URL of the hub and a token whose audience it is, naming <paramref name="userId"/>.</summary>
    public AzureSignalRClientAccess ClientAccess(string userId, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var url = new Uri($"{Connection.Endpoint.GetLeftPart(UriPartial.Authority)}/client/?hub={Hub}");
        var now = _time.GetUtcNow();
        var expires = now + lifetime;
        return new AzureSignalRClientAccess(url, AzureSignalRTokens.Create(url.AbsoluteUri, now, expires, Connection.AccessKey, userId), expires);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? query)
    {
        var pathAfterHost = $"/api/hubs/{Hub}/{path}";
        var queryText = $"?api-version={ApiVersion}" + (query is null ? string.Empty : "&" + query);
        var now = _time.GetUtcNow();

        // The audience is the URL without its query, on the public endpoint (the service ignores the port a connection string adds).
        var audience = Connection.Endpoint.GetLeftPart(UriPartial.Authority) + pathAfterHost;
        var request = new HttpRequestMessage(method, new Uri(Connection.ServerEndpoint.GetLeftPart(UriPartial.Authority) + pathAfterHost + queryText));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AzureSignalRTokens.Create(audience, now, now + RestTokenLifetime, Connection.AccessKey));
        return request;
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = _http.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The service's error body may echo the group or user; the status and route are enough to act on.
            throw new HttpRequestException($"Azure SignalR answered {(int)response.StatusCode} to {request.Method} {request.RequestUri?.AbsolutePath}.", null, response.StatusCode);
        }
    }

    /// <summary>Group and user ids go in the path: escaped, so a '/' or '?' in one cannot reach another route.</summary>
    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex HubName();

    private sealed record HubMessage<T>(string Target, IReadOnlyList<T> Arguments);
}
