using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace ServerlessMobility.Testing;

/// <summary>
/// Tokens from the local host's Development-only <c>POST /api/dev/token</c>, the way a person running the platform
/// locally gets them; one copy for every test project, so a change to the endpoint's contract is made once.
/// Tests about the endpoint itself post to it directly.
/// </summary>
public static class DevTokens
{
    public const string Route = "/api/dev/token";

    /// <summary>A bearer token for <paramref name="subject"/> of <paramref name="tenantId"/> in <paramref name="roles"/>.</summary>
    public static async Task<string> IssueAsync(HttpClient client, string subject, string tenantId, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cancellation = TestContext.Current.CancellationToken;
        using var response = await client.PostAsJsonAsync(Route, new { subject, tenantId, roles }, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{Route} for {subject} of {tenantId} ({string.Join(", ", roles)}): {(int)response.StatusCode} {text}");
        }

        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Makes <paramref name="client"/> send a token for the user with every request; returns it for chaining.</summary>
    public static async Task<HttpClient> AuthorizeAsync(this HttpClient client, string subject, string tenantId, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await IssueAsync(client, subject, tenantId, roles));
        return client;
    }

    /// <summary>A new client of the in-process host that acts as the user.</summary>
    public static async Task<HttpClient> ClientAsync(this LocalHostFactory factory, string subject, string tenantId, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient();
        try
        {
            return await client.AuthorizeAsync(subject, tenantId, roles);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
