namespace ServerlessMobility.Platform.Security;

/// <summary>The roles a token can carry in its "roles" claim.</summary>
public static class PlatformRoles
{
    public const string Customer = "customer";
    public const string DealerStaff = "dealer-staff";
    public const string DealerAdmin = "dealer-admin";
    public const string Agent = "agent";
    public const string WorkshopStaff = "workshop-staff";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } =
        [Customer, DealerStaff, DealerAdmin, Agent, WorkshopStaff, Operator, Admin];
}

/// <summary>Claim names this platform reads from access tokens.</summary>
public static class PlatformClaims
{
    public const string Subject = "sub";
    public const string TenantId = "tenant_id";
    public const string Roles = "roles";
}
