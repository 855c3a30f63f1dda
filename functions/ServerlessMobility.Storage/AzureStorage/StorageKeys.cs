using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMobility.Storage.AzureStorage;

/// <summary>
/// Turns values that may come from outside (device ids, codes, ids in routes) into table keys and blob name
/// segments. A value made only of letters, digits, '-', '_' and '.' (at most 128 characters) is used as it is,
/// so keys of valid input stay readable and stable; anything else becomes '~' and a SHA-256 hash of the value
/// ('~' is never part of a value used as is, so the two cannot collide). Azure Tables forbids '/', '\', '#',
/// '?' and control characters in keys and caps them at 1 KiB; blob names cap segments and forbid some
/// characters: neither limit can be reached through here.
/// </summary>
public static class StorageKeys
{
    private const int MaxPlainLength = 128;
    private static readonly SearchValues<char> Plain = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is > 0 and <= MaxPlainLength && !value.AsSpan().ContainsAnyExcept(Plain) && value is not "." and not "..")
        {
            return value;
        }

        return "~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
