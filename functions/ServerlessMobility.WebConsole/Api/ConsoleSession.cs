using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.WebAssembly.Authentication;
using Microsoft.JSInterop;

namespace ServerlessMobility.WebConsole.Api;

/// <summary>
/// Who is signed in: what the API said about the caller's token (<c>GET /api/me</c>) and, in the development mode, the
/// token itself. Kept in the tab's sessionStorage, so a reload keeps the session and closing the tab ends it; never in
/// localStorage, which other tabs and later visitors of a shared tablet would read. With an identity provider the
/// tokens are the authentication library's (its own sessionStorage entry), asked for at each call, so a renewed token
/// is the one sent.
/// </summary>
public sealed class ConsoleSession(IJSRuntime js, ConsoleSignIn signIn, IServiceProvider services)
{
    private const string StorageKey = "sm-console-session";

    public event Action? Changed;

    public ConsoleSignIn SignIn => signIn;

    /// <summary>The development token; null with an identity provider, whose tokens <see cref="AccessTokenAsync"/> asks for.</summary>
    public string? Token { get; private set; }

    public string? Subject { get; private set; }

    public string? TenantId { get; private set; }

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public bool IsSignedIn => Subject is not null;

    public bool IsOperator => Roles.Contains(ConsoleRoles.Operator, StringComparer.Ordinal);

    public bool HasAnyRole(params string[] roles) => roles.Any(r => Roles.Contains(r, StringComparer.Ordinal));

    /// <summary>
    /// Why the last sign-in through the identity provider ended signed out although the provider signed the user in (the
    /// API refused the token); the sign-in page shows it. Only in memory: it is about this visit.
    /// </summary>
    public ApiProblem? SignInProblem { get; set; }

    /// <summary>What the identity provider said when it refused the last sign-in (its error_description and error code).</summary>
    public string? ProviderRefusal { get; set; }

    /// <summary>The screen a signed-in user starts on: the one their first role works in.</summary>
    public string LandingPage => HasAnyRole(ConsoleRoles.DealerStaff, ConsoleRoles.DealerAdmin) ? "orders"
        : HasAnyRole(ConsoleRoles.Agent) ? "rent-to-own"
        : HasAnyRole(ConsoleRoles.WorkshopStaff) ? "workshop" : "workflows";

    /// <summary>The bearer token for the next API call, or null when there is none (not signed in, or the provider's session ended).</summary>
    public async Task<string?> AccessTokenAsync()
    {
        if (!signIn.IsOidc)
        {
            return Token;
        }

        var result = await services.GetRequiredService<IAccessTokenProvider>().RequestAccessToken();
        return result.TryGetToken(out var token) ? token.Value : null;
    }

    public async Task RestoreAsync()
    {
        if (IsSignedIn)
        {
            return;
        }

        var stored = await js.InvokeAsync<string?>("sessionStorage.getItem", StorageKey);
        if (stored is null)
        {
            return;
        }

        // What the API said outlives the provider's session in this tab only while the provider still has a user.
        if (signIn.IsOidc && (await services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated != true)
        {
            await js.InvokeVoidAsync("sessionStorage.removeItem", StorageKey);
            return;
        }

        var saved = System.Text.Json.JsonSerializer.Deserialize<SavedSession>(stored);
        if (saved is not null)
        {
            Set(saved.Token, saved.Subject, saved.TenantId, saved.Roles);
        }
    }

    /// <param name="token">The development token; null with an identity provider.</param>
    public async Task SignInAsync(string? token, string subject, string tenantId, IReadOnlyList<string> roles)
    {
        Set(token, subject, tenantId, roles);
        await js.InvokeVoidAsync("sessionStorage.setItem", StorageKey, System.Text.Json.JsonSerializer.Serialize(new SavedSession(token, subject, tenantId, [.. roles])));
        Changed?.Invoke();
    }

    public async Task SignOutAsync()
    {
        Token = Subject = TenantId = null;
        Roles = [];
        await js.InvokeVoidAsync("sessionStorage.removeItem", StorageKey);

        // The offline copies of API answers belong to the person who signed out.
        await js.InvokeVoidAsync("smConsole.forgetOfflineCopies");
        Changed?.Invoke();
    }

    private void Set(string? token, string subject, string tenantId, IReadOnlyList<string> roles)
    {
        Token = token;
        Subject = subject;
        TenantId = tenantId;
        Roles = roles;
    }

    private sealed record SavedSession(string? Token, string Subject, string TenantId, string[] Roles);
}
