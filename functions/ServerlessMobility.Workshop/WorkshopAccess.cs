using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Workshop;

/// <summary>Who sees what in the workshop: staff see the tenant's work; an owner sees only bookings and jobs of their own.</summary>
public static class WorkshopAccess
{
    public static readonly string[] Staff = [PlatformRoles.WorkshopStaff, PlatformRoles.Admin];

    public static readonly string[] StaffAndOwners = [PlatformRoles.Customer, PlatformRoles.WorkshopStaff, PlatformRoles.Admin];

    public static bool IsStaff(CurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(PlatformRoles.WorkshopStaff) || user.IsInRole(PlatformRoles.Admin);
    }

    /// <summary>Another owner's booking or job answers as if it did not exist, so ids cannot be probed.</summary>
    public static void EnsureVisible(CurrentUser user, string customerId, string resource, string id)
    {
        if (!IsStaff(user) && !string.Equals(user.Subject, customerId, StringComparison.Ordinal))
        {
            throw new ResourceNotFoundException(resource, id);
        }
    }

    public static void ValidateId(string? id, string field)
    {
        if (!InputFormats.IsClientId(id, MaxIdLength))
        {
            throw RequestValidationException.For(field, $"An id of letters, digits, '-' or '_' (at most {MaxIdLength}) is required.");
        }
    }

    public const int MaxIdLength = 64;
}
