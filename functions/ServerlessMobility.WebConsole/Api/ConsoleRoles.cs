namespace ServerlessMobility.WebConsole.Api;

/// <summary>The platform's role names as tokens carry them (docs/security.md); the console only shows or hides by them, the API decides.</summary>
public static class ConsoleRoles
{
    public const string Operator = "operator";
    public const string Admin = "admin";
    public const string DealerStaff = "dealer-staff";
    public const string DealerAdmin = "dealer-admin";
    public const string Agent = "agent";
    public const string WorkshopStaff = "workshop-staff";

    public static readonly string[] All = [Operator, Admin, DealerStaff, DealerAdmin, Agent, WorkshopStaff];

    /// <summary>Who may read the workshop board: the API's <c>GET /api/workshop/board</c> allows workshop staff and admins.</summary>
    public static readonly string[] Workshop = [WorkshopStaff, Admin];
}
