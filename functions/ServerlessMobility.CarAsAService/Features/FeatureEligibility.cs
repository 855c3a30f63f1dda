using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.CarAsAService.Features;

/// <summary>
/// What decides whether one vehicle can have one feature now: the owner's country (it picks the price), the
/// firmware the vehicle last reported and the workshop's maintenance status. The offer list and the purchase
/// ask these questions here, so a feature the list shows as available is one the purchase accepts.
/// </summary>
public sealed class FeatureEligibility(IVehicleConditions conditions, IMaintenanceSystem maintenance, ITenantRepository<Customer> customers)
{
    /// <summary>The owner's country on record; only when there is none, the one the caller gave (already validated).</summary>
    public async Task<string?> CountryOfAsync(VehicleRegistration vehicle, string? requested, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        if (vehicle.OwnerSubject is not null && await customers.GetAsync(vehicle.TenantId, vehicle.OwnerSubject, cancellationToken) is { } customer)
        {
            return customer.Value.Country.ToUpperInvariant();
        }

        return requested?.ToUpperInvariant();
    }

    public async Task<string?> FirmwareOfAsync(VehicleRegistration vehicle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        return (await conditions.GetLatestAsync(vehicle.TenantId, vehicle.Vin, cancellationToken))?.FirmwareVersion;
    }

    public Task<MaintenanceStatus> MaintenanceOfAsync(VehicleRegistration vehicle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        return maintenance.GetStatusAsync(vehicle.TenantId, vehicle.Vin, cancellationToken);
    }

    /// <summary>Why the vehicle's firmware rules the feature out; empty when it does not.</summary>
    public static IEnumerable<string> FirmwareReasons(FeatureDefinition feature, string? firmware)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (firmware is null)
        {
            yield return "The vehicle has not reported its firmware version yet.";
        }
        else if (!FirmwareVersion.IsAtLeast(firmware, feature.MinimumFirmware))
        {
            yield return $"Needs firmware {feature.MinimumFirmware} or newer; the vehicle runs {firmware}.";
        }
    }
}
