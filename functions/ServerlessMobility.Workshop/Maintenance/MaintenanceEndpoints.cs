using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Bookings;

namespace ServerlessMobility.Workshop.Maintenance;

/// <param name="LastService">The last service the workshop completed on the vehicle; null when it has none on record.</param>
/// <param name="Proposal">The first free slot for the work; null when the vehicle is not due or nothing is free within the horizon.</param>
public sealed record MaintenanceProposalResponse(string Vin, bool Due, CompletedService? LastService, IReadOnlyList<MaintenanceReason> Reasons, ProposedBooking? Proposal);

/// <summary>
/// Maintenance due from telemetry (service intervals passed, fault codes) and from the workshop's own records (time since
/// the last service), with a proposed booking in the first free slot a capable technician has.
/// </summary>
public static class MaintenanceEndpoints
{
    public static async Task<Ok<MaintenanceProposalResponse>> ProposeAsync(string vin, HttpContext http, [FromServices] IVehicleConditions conditions,
        [FromServices] IServiceHistory history, [FromServices] ITenantRepository<Bay> bays, [FromServices] ITenantRepository<Technician> technicians,
        [FromServices] ITenantRepository<Booking> bookings, [FromServices] IOptions<WorkshopOptions> options, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(bays);
        ArgumentNullException.ThrowIfNull(technicians);
        ArgumentNullException.ThrowIfNull(bookings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var normalized = vin?.Trim().ToUpperInvariant();
        if (!InputFormats.Matches(normalized, VinFormat.Pattern))
        {
            throw RequestValidationException.For("vin", VinFormat.Description);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var settings = options.Value.Maintenance;
        var now = time.GetUtcNow();
        var lastService = await history.LastServiceAsync(user.TenantId, normalized!, cancellationToken);
        var since = lastService?.CompletedAt ?? now - settings.Lookback;
        var serviceDue = await conditions.ServiceDueAsync(user.TenantId, normalized!, since, now, cancellationToken);
        var faultCodes = await conditions.FaultCodesAsync(user.TenantId, normalized!, since, now, cancellationToken);
        if (lastService is null && serviceDue.Count == 0 && faultCodes.Count == 0 && await conditions.GetLatestAsync(user.TenantId, normalized!, cancellationToken) is null)
        {
            // Neither telemetry nor the workshop knows the vehicle (or it is another tenant's).
            throw new ResourceNotFoundException("Vehicle", normalized!);
        }

        var need = MaintenanceAssessment.Assess(lastService, serviceDue, faultCodes, now, settings);
        ProposedBooking? proposal = null;
        if (need.IsDue)
        {
            var from = now + settings.ProposalLead;
            var until = from + settings.ProposalHorizon;
            var ofDays = new List<Booking>();
            for (var day = from.UtcDateTime.Date; day <= until.UtcDateTime.Date; day = day.AddDays(1))
            {
                ofDays.AddRange(await bookings.QueryAsync(user.TenantId, "day", Booking.DayOf(new DateTimeOffset(day, TimeSpan.Zero)), cancellationToken));
            }

            proposal = MaintenanceAssessment.FirstFreeSlot(await bays.QueryAsync(user.TenantId, cancellationToken: cancellationToken),
                await technicians.QueryAsync(user.TenantId, cancellationToken: cancellationToken), ofDays, need.Skill, need.Hours, from, until);
        }

        return TypedResults.Ok(new MaintenanceProposalResponse(normalized!, need.IsDue, lastService, need.Reasons, proposal));
    }
}
