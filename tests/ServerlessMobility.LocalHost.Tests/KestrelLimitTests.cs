using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// Issue 16 item 12: requests that Kestrel itself would reject before the pipeline runs (an over-long URL,
/// over-large headers) are answered with problem details by the local host's own documented limits. These
/// go through a real Kestrel listener on a loopback port, written byte for byte over a socket, because
/// TestServer skips Kestrel and HttpClient would reshape the request line.
/// </summary>
public class KestrelLimitTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OverLongUrl_Answers414ProblemDetails()
    {
        await using var app = await StartKestrelAsync();

        var response = await SendRawAsync(app, $"GET /api/orders?q={new string('a', 9000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        AssertProblem(response, 414);
    }

    [Fact]
    public async Task UrlAtTheDocumentedLimit_ReachesTheApi()
    {
        await using var app = await StartKestrelAsync();
        var prefix = "/api/orders?q=";

        var response = await SendRawAsync(app, $"GET {prefix}{new string('a', LocalHostLimits.MaxRequestTargetBytes - prefix.Length)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // No token: the pipeline ran and authentication answered, not a size limit.
        AssertProblem(response, 401);
    }

    [Fact]
    public async Task OverLargeHeaders_Answer431ProblemDetails()
    {
        await using var app = await StartKestrelAsync();
        var headers = new StringBuilder();
        for (var i = 0; i < 5; i++)
        {
            headers.Append(FormattableString.Invariant($"X-Filler-{i}: {new string('h', 8000)}\r\n"));
        }

        var response = await SendRawAsync(app, $"GET /api/orders HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");

        AssertProblem(response, 431);
    }

    [Fact]
    public async Task TooManyHeaders_Answer431ProblemDetails()
    {
        await using var app = await StartKestrelAsync();
        var headers = new StringBuilder();
        for (var i = 0; i < 120; i++)
        {
            headers.Append(FormattableString.Invariant($"X-Filler-{i}: x\r\n"));
        }

        var response = await SendRawAsync(app, $"GET /api/orders HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");

        AssertProblem(response, 431);
    }

    /// <summary>
    /// Not a fix: pins what docs/api.md says still has no body. Kestrel refuses a path whose percent-decoding yields
    /// NUL while parsing the request line, before any middleware, and offers no hook to shape that answer.
    /// </summary>
    [Fact]
    public async Task NulInPath_IsStillRefusedByKestrelWithAnEmpty400()
    {
        await using var app = await StartKestrelAsync();

        var response = await SendRawAsync(app, "GET /api/orders/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        var (head, body) = Split(response);
        Assert.StartsWith("HTTP/1.1 400 ", head, StringComparison.Ordinal);
        Assert.Equal(string.Empty, body);
    }

    private static void AssertProblem(string response, int status)
    {
        var (head, body) = Split(response);
        Assert.StartsWith(FormattableString.Invariant($"HTTP/1.1 {status} "), head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.OrdinalIgnoreCase);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("title").GetString()));
    }

    private static (string Head, string Body) Split(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, response);
        var head = response[..end];
        var body = response[(end + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new StringBuilder();
            var at = 0;
            while (true)
            {
                var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = Convert.ToInt32(body[at..lineEnd].Split(';')[0], 16);
                if (size == 0)
                {
                    break;
                }

                decoded.Append(body, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }

            body = decoded.ToString();
        }

        return (head, body);
    }

    private static async Task<string> SendRawAsync(WebApplication app, string request)
    {
        var uri = new Uri(app.Urls.Single());
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        using var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, Ct);
        }
        catch (IOException)
        {
            // Kestrel may reset a connection it rejected once it has written its answer.
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task<WebApplication> StartKestrelAsync()
    {
        var settings = emulators.Settings();
        settings["LocalSettingsPath"] = "(none)";
        settings["Mqtt:Enabled"] = "false";
        settings["Auth:DevSigningKey"] = LocalHostFactory.DevSigningKey;
        settings["environment"] = "Development";
        settings["LocalHost:Urls"] = "http://127.0.0.1:0";
        settings["Durable:EnableWorker"] = "false";
        var args = settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}").ToArray();
        var app = LocalHostApplication.Build(args);
        await app.StartAsync(Ct);
        return app;
    }
}
