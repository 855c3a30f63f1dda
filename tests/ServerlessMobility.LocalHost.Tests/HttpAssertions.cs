using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessMobility.LocalHost.Tests;

internal static class HttpAssertions
{
    /// <summary>Asserts an RFC 9457 problem-details response with the given status, and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        return body;
    }
}
