namespace ServerlessMobility.Platform.Security;

/// <summary>
/// What a tenant id may look like. Tenant ids end up in storage keys, blob names, workflow instance ids
/// and URLs, so they are held to letters, digits, '.', '_' and '-' (starting with a letter or digit), at
/// most 64 characters: nothing that a storage key forbids, no separator that instance ids use.
/// </summary>
public static class TenantIds
{
    public const int MaxLength = 64;

    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    public static bool IsValid(string? tenantId) => Http.InputFormats.Matches(tenantId, Pattern, 1, MaxLength);
}
