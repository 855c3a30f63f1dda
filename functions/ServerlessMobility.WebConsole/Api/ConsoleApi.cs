using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessMobility.WebConsole.Api;

/// <summary>An answer of the API: the value, or the problem it reported; and whether it came from the offline copy.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem, DateTimeOffset? OfflineCopyFrom = null)
{
    public bool Succeeded => Problem is null;
}

/// <summary>An RFC 9457 problem as the API answers it, or one made up here when the API could not be reached.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail)
{
    public string Describe() => Detail is null ? $"{Title} ({Status})" : $"{Title} ({Status}): {Detail}";
}

/// <summary>
/// Calls the platform's HTTP API with the session's token. Problems come back as values for the screens to show; the
/// service worker's marker header says when a read was answered from the offline copy.
/// </summary>
public sealed class ConsoleApi(HttpClient http, ConsoleSession session)
{
    /// <summary>Set by service-worker.js on a GET it answered from its cache because the network failed.</summary>
    public const string OfflineCopyHeader = "X-Console-Offline-Copy";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, body: null, cancellationToken);

    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (session.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
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

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken);
            if (problem?.Title is not null)
            {
                return new ApiProblem(status, problem.Title, problem.Detail);
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page): the status says enough.
        }

        return new ApiProblem(status, response.ReasonPhrase ?? "Request failed", null);
    }

    private sealed record ProblemBody(string? Title, string? Detail);
}
