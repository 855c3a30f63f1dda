using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Showroom;

/// <summary>
/// Who does what in the showroom: dealer staff and dealer admins keep the stock; a customer signed in to a dealership
/// (their token's tenant) sees only what it has for sale, the vehicles that are available.
/// </summary>
public static class ShowroomAccess
{
    public static readonly string[] Staff = [PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    public static readonly string[] StaffAndCustomers = [PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    public static bool IsStaff(CurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Staff.Any(user.IsInRole);
    }
}
