using System.Net.Http.Headers;
using System.Text.Json;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>A client of a server-sent events route, reading one event (its name and JSON data) at a time.</summary>
internal sealed class ServerSentEventsReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEventsReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<ServerSentEventsReader> ConnectAsync(HttpClient client, string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new ServerSentEventsReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    public async Task<(string? Name, JsonElement Data)> NextAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                return (name, JsonDocument.Parse(line[5..]).RootElement.Clone());
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
