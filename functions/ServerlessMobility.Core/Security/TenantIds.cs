using System.Text.RegularExpressions;

namespace ServerlessMobility.Core.Security;

/// <summary>
/// What a tenant id may look like. Tenant ids end up in storage keys, blob names, workflow instance ids
/// and URLs, so they are held to letters, digits, '.', '_' and '-' (starting with a letter or digit), at
/// most 64 characters: nothing that a storage key forbids, no separator that instance ids use.
/// </summary>
public static partial class TenantIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? tenantId) => tenantId is not null && Pattern().IsMatch(tenantId);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
