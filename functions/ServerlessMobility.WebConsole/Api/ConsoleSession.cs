using Microsoft.JSInterop;

namespace ServerlessMobility.WebConsole.Api;

/// <summary>
/// Who is signed in: the bearer token and what the API said about it (<c>GET /api/me</c>). Kept in the tab's
/// sessionStorage, so a reload keeps the session and closing the tab ends it; never in localStorage, which other tabs
/// and later visitors of a shared tablet would read.
/// </summary>
public sealed class ConsoleSession(IJSRuntime js)
{
    private const string StorageKey = "sm-console-session";

    public event Action? Changed;

    public string? Token { get; private set; }

    public string? Subject { get; private set; }

    public string? TenantId { get; private set; }

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public bool IsSignedIn => Token is not null;

    public bool IsOperator => Roles.Contains(ConsoleRoles.Operator, StringComparer.Ordinal);

    public bool HasAnyRole(params string[] roles) => roles.Any(r => Roles.Contains(r, StringComparer.Ordinal));

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

        var saved = System.Text.Json.JsonSerializer.Deserialize<SavedSession>(stored);
        if (saved is not null)
        {
            Set(saved.Token, saved.Subject, saved.TenantId, saved.Roles);
        }
    }

    public async Task SignInAsync(string token, string subject, string tenantId, IReadOnlyList<string> roles)
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

    private void Set(string token, string subject, string tenantId, IReadOnlyList<string> roles)
    {
        Token = token;
        Subject = subject;
        TenantId = tenantId;
        Roles = roles;
    }

    private sealed record SavedSession(string Token, string Subject, string TenantId, string[] Roles);
}
