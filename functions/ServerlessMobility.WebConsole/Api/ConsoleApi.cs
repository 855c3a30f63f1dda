using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components.WebAssembly.Http;

namespace ServerlessMobility.WebConsole.Api;

/// <summary>An answer of the API: the value, or the problem it reported; and whether it came from the offline copy.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem, DateTimeOffset? OfflineCopyFrom = null)
{
    public bool Succeeded => Problem is null;
}

/// <summary>An RFC 9457 problem as the API answers it, or one made up here when the API could not be reached.</summary>
/// <param name="Errors">A validation problem's messages by the request field they concern, as the API names the fields.</param>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public string Describe() => Detail is null ? $"{Title} ({Status})" : $"{Title} ({Status}): {Detail}";

    /// <summary>The API's message about <paramref name="field"/>, when this problem names it.</summary>
    public string? About(string field) => Errors is not null && Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}

/// <summary>One server-sent event: its name (<c>message</c> when the stream names none) and its data, JSON for the platform's streams.</summary>
public sealed record ServerSentEvent(string Event, string Data);

/// <summary>
/// Calls the platform's HTTP API with the session's token. Problems come back as values for the screens to show; the
/// service worker's marker header says when a read was answered from the offline copy.
/// </summary>
public sealed class ConsoleApi(HttpClient http, ConsoleSession session)
{
    /// <summary>Set by service-worker.js on a GET it answered from its cache because the network failed.</summary>
    public const string OfflineCopyHeader = "X-Console-Offline-Copy";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, body: null, cancellationToken: cancellationToken);

    /// <param name="idempotencyKey">
    /// Sent as <c>Idempotency-Key</c>: the API runs a POST once per key and answers a resend with the stored answer, so a
    /// change sent again after no answer came back is not made twice.
    /// </param>
    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        await AuthorizeAsync(request);
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new ApiResult<T>(default, new ApiProblem(0, "The platform could not be reached", ex.Message));
        }

        using (response)
        {
            DateTimeOffset? offlineCopy = response.Headers.TryGetValues(OfflineCopyHeader, out var values)
                && DateTimeOffset.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
            if (response.IsSuccessStatusCode)
            {
                var value = response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
                    ? default
                    : await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
                return new ApiResult<T>(value, null, offlineCopy);
            }

            return new ApiResult<T>(default, await ReadProblemAsync(response, cancellationToken), offlineCopy);
        }
    }

    /// <summary>
    /// Listens to one of the API's server-sent event streams (<c>text/event-stream</c>) until it ends or
    /// <paramref name="cancellationToken"/> stops it. The browser's EventSource cannot send the bearer token, so the stream
    /// is read with fetch and a ReadableStream: the runtime's HttpClient with response streaming on. The service worker
    /// leaves event streams alone (they never end, so they cannot be copied for offline reading).
    /// </summary>
    /// <exception cref="HttpRequestException">The platform could not be reached, or answered with a problem instead of the stream.</exception>
    public async IAsyncEnumerable<ServerSentEvent> ListenAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        await AuthorizeAsync(request);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.SetBrowserResponseStreamingEnabled(true);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ReadProblemAsync(response, cancellationToken);
            throw new HttpRequestException(problem.Describe(), null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var name = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                // A blank line ends an event (https://html.spec.whatwg.org/multipage/server-sent-events.html).
                if (data.Length > 0)
                {
                    yield return new ServerSentEvent(name, data.ToString());
                }

                name = "message";
                data.Clear();
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            if (field == "event")
            {
                name = value;
            }
            else if (field == "data")
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(value);
            }
        }
    }

    private async Task AuthorizeAsync(HttpRequestMessage request)
    {
        if (await session.AccessTokenAsync() is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken);
            if (problem?.Title is not null)
            {
                return new ApiProblem(status, problem.Title, problem.Detail, problem.Errors);
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page): the status says enough.
        }

        return new ApiProblem(status, response.ReasonPhrase ?? "Request failed", null);
    }

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
