using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Platform.Vehicles;

/// <summary>Who a vehicle belongs to: the tenant (dealership) and, if known, the owning customer.</summary>
public sealed record VehicleRegistration(string Vin, string TenantId, string? OwnerSubject, string? Model, DateTimeOffset RegisteredAt);

/// <summary>
/// The one vehicle registry every product line reads (the telemetry module registers vehicles and stores the
/// registry; Car-as-a-Service, rent-to-own and the lines to come look vehicles up through this contract).
/// </summary>
public interface IVehicleRegistry
{
    Task<VehicleRegistration?> GetAsync(string vin, CancellationToken cancellationToken);

    Task UpsertAsync(VehicleRegistration registration, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's vehicles in VIN order, at most <paramref name="take"/>, after the VIN <paramref name="after"/> (null
    /// for the first): one partition of the tenant index, never a scan of the registry.
    /// </summary>
    Task<IReadOnlyList<VehicleRegistration>> ListAsync(string tenantId, string? after, int take, CancellationToken cancellationToken);
}

/// <summary>Who may see a vehicle, the same rule for every module's vehicle routes.</summary>
public static partial class VehicleAccess
{
    /// <summary>Staff roles that see every vehicle of their tenant.</summary>
    public static readonly IReadOnlyList<string> StaffRoles = [PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Operator, PlatformRoles.Admin, PlatformRoles.Agent];

    /// <summary>
    /// The vehicle as the caller may see it: staff of its tenant, or the customer who owns it. Anything else is
    /// a 404, so a caller cannot learn that another tenant's VIN exists.
    /// </summary>
    public static async Task<VehicleRegistration> AuthorizeAsync(string vin, HttpContext http, IVehicleRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vin);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(registry);
        var user = CurrentUser.FromPrincipal(http.User);
        var normalized = vin.Trim().ToUpperInvariant();
        if (!IsVin(normalized))
        {
            throw RequestValidationException.For("vin", VinFormat.Description);
        }

        var registration = await registry.GetAsync(normalized, cancellationToken).ConfigureAwait(false);
        var allowed = registration is not null
            && registration.TenantId == user.TenantId
            && (StaffRoles.Any(user.IsInRole) || (user.IsInRole(PlatformRoles.Customer) && registration.OwnerSubject == user.Subject));
        return allowed ? registration! : throw new ResourceNotFoundException("Vehicle", normalized);
    }

    /// <summary>Whether an already trimmed and upper-cased value is a VIN.</summary>
    public static bool IsVin(string value) => VinPattern().IsMatch(value);

    [GeneratedRegex(VinFormat.Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex VinPattern();
}
