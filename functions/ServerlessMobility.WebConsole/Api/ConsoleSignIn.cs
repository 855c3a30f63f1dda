using System.Net.Http.Json;

namespace ServerlessMobility.WebConsole.Api;

/// <summary>
/// How staff sign in, read at start from <c>console-config.json</c> next to the app (docs/console.md, "Sign in"). The
/// local host answers that file from its configuration (<c>Console:SignIn</c>); a Static Web App serves the file the
/// deployment wrote (docs/deploy-azure.md, 3b). Without it the console offers the development form, which works only
/// where <c>POST /api/dev/token</c> exists.
/// </summary>
public sealed record ConsoleSignIn(string Mode, string? Authority = null, string? ClientId = null, string[]? Scopes = null)
{
    public const string ConfigPath = "console-config.json";
    public const string DevMode = "dev";
    public const string OidcMode = "oidc";

    public static readonly ConsoleSignIn Development = new(DevMode);

    public bool IsOidc => string.Equals(Mode, OidcMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the file once, before the app starts. A half-filled oidc entry is refused here, loudly, rather than sending
    /// staff to a provider that cannot answer.
    /// </summary>
    public static async Task<ConsoleSignIn> LoadAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        ConsoleConfig? config;
        try
        {
            using var response = await http.GetAsync(new Uri(ConfigPath, UriKind.Relative));
            if (!response.IsSuccessStatusCode)
            {
                return Development;
            }

            config = await response.Content.ReadFromJsonAsync<ConsoleConfig>(ConsoleApi.Json);
        }
        catch (HttpRequestException)
        {
            // Offline with no saved copy: the development form needs no provider, and says so when the API cannot be reached.
            return Development;
        }

        var signIn = config?.SignIn ?? Development;
        if (signIn.IsOidc && (string.IsNullOrWhiteSpace(signIn.Authority) || string.IsNullOrWhiteSpace(signIn.ClientId) || signIn.Scopes is not { Length: > 0 }))
        {
            throw new InvalidOperationException($"{ConfigPath}: sign-in mode 'oidc' needs an authority, a client id and the API's scopes.");
        }

        return signIn;
    }

    private sealed record ConsoleConfig(ConsoleSignIn? SignIn);
}
