using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Showroom.Leaderboards;

namespace ServerlessMobility.Showroom.LiveUpdates;

/// <summary>
/// The Azure SignalR groups and user ids of the showroom. The tenant id goes into a group name base64url-encoded, an
/// alphabet without the '.' that separates the parts, so no tenant's id can spell another tenant's group.
/// </summary>
public static class ShowroomLiveGroups
{
    /// <summary>The method a client registers to receive an <see cref="InventoryChange"/>.</summary>
    public const string InventoryTarget = "inventoryChange";

    /// <summary>The method a client registers to receive a <see cref="LeaderboardUpdate"/>.</summary>
    public const string LeaderboardTarget = "leaderboard";

    /// <summary>Every change of the dealership's stock, for its staff.</summary>
    public static string InventoryStaff(string tenantId) => $"showroom.inventory.staff.{Encode(tenantId)}";

    /// <summary>The changes of the stock for sale, as <see cref="InventoryChange.ForCustomer"/> shows them.</summary>
    public static string InventoryCustomers(string tenantId) => $"showroom.inventory.customers.{Encode(tenantId)}";

    public static string Leaderboard(string tenantId, LeaderboardPeriod period) =>
        $"showroom.leaderboard.{(period == LeaderboardPeriod.Week ? "week" : "month")}.{Encode(tenantId)}";

    /// <summary>
    /// The hub user of a signed-in subject: subjects are unique only within a tenant, and a user's groups follow the user
    /// id, so the id hashes both (length-prefixed, so "a" + "bc" and "ab" + "c" differ).
    /// </summary>
    public static string UserId(string tenantId, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId.Length}:{tenantId}:{subject}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string Encode(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(tenantId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
