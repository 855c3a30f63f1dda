using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Workshop.Billing;

namespace ServerlessMobility.Workshop.Bookings;

/// <param name="CustomerId">The vehicle's owner; an owner books for themselves (their own id).</param>
/// <param name="Start">UTC, on the hour, not in the past.</param>
/// <param name="Hours">Whole slots of one hour, 1 to 8.</param>
/// <param name="Skill">What the work needs ("service", "brakes", ...): only a technician with that skill is booked.</param>
public sealed record BookSlotRequest(
    [property: StringLength(WorkshopAccess.MaxIdLength), RegularExpression(InputFormats.ClientId)] string CustomerId,
    [property: RegularExpression(VinFormat.Pattern)] string VehicleId,
    [property: StringLength(WorkshopAccess.MaxIdLength), RegularExpression(InputFormats.ClientId)] string BayId,
    [property: StringLength(40), RegularExpression(InputFormats.ClientId)] string Skill,
    DateTimeOffset Start,
    [property: Range(1, SlotGrid.MaxSlotsPerBooking)] int Hours);

/// <summary>
/// Booking a service slot. The bay's slots are claimed first, then the slots of the first capable technician on shift
/// who is free; a claim is a document created once, so two concurrent bookings of one bay and time give one 201 and
/// one 409, and nothing of the loser stays booked.
/// </summary>
public static class BookingsEndpoints
{
    public static async Task<Created<Booking>> BookAsync(BookSlotRequest request, HttpContext http, [FromServices] ITenantRepository<Bay> bays,
        [FromServices] ITenantRepository<Technician> technicians, [FromServices] ITenantRepository<Booking> bookings, [FromServices] ISlotClaims claims,
        [FromServices] DurableTaskClient workflows, [FromServices] IOptions<WorkshopOptions> options, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(bays);
        ArgumentNullException.ThrowIfNull(technicians);
        ArgumentNullException.ThrowIfNull(bookings);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var customerId = request.CustomerId;
        var errors = new Dictionary<string, string[]>();
        if (!InputFormats.IsClientId(customerId, WorkshopAccess.MaxIdLength))
        {
            errors["customerId"] = ["The vehicle's owner is required (letters, digits, '-' or '_', at most 64)."];
        }

        var vin = request.VehicleId?.Trim().ToUpperInvariant();
        if (!InputFormats.Matches(vin, VinFormat.Pattern))
        {
            errors["vehicleId"] = [VinFormat.Description];
        }

        if (!InputFormats.IsClientId(request.BayId, WorkshopAccess.MaxIdLength))
        {
            errors["bayId"] = ["A bay id is required."];
        }

        if (!InputFormats.IsClientId(request.Skill, 40))
        {
            errors["skill"] = ["A skill of letters, digits, '-' or '_' (at most 40) is required."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        if (!WorkshopAccess.IsStaff(user) && !string.Equals(customerId, user.Subject, StringComparison.Ordinal))
        {
            throw new ForbiddenException("An owner books for their own vehicle; the workshop's staff book for others.");
        }

        var slots = SlotGrid.Slots(request.Start, request.Hours);
        var now = time.GetUtcNow();
        if (slots[0] < now)
        {
            throw RequestValidationException.For("start", "A booking starts in the future.");
        }

        _ = await bays.GetAsync(user.TenantId, request.BayId, cancellationToken) ?? throw new ResourceNotFoundException("Bay", request.BayId);
        var candidates = SlotCapacity.AvailableTechnicians(await technicians.QueryAsync(user.TenantId, cancellationToken: cancellationToken), request.Skill, slots[0],
            slots.Count, new HashSet<string>(StringComparer.Ordinal));
        if (candidates.Count == 0)
        {
            throw new BusinessRuleException("workshop-no-technician", $"No technician with the skill '{request.Skill}' works the whole slot.");
        }

        var bookingId = $"bk-{Guid.NewGuid():N}";
        var bayClaims = slots.Select(s => SlotGrid.BayClaimId(request.BayId, s)).ToList();
        await claims.ClaimAsync(user.TenantId, bookingId, bayClaims, cancellationToken);
        try
        {
            foreach (var technician in candidates)
            {
                try
                {
                    await claims.ClaimAsync(user.TenantId, bookingId, [.. slots.Select(s => SlotGrid.TechnicianClaimId(technician.Id, s))], cancellationToken);
                }
                catch (ConflictException)
                {
                    // Booked elsewhere at that time: the next capable technician may be free.
                    continue;
                }

                var booking = new Booking(bookingId, user.TenantId, customerId, vin!, request.BayId, technician.Id, request.Skill.ToLowerInvariant(), slots[0], request.Hours,
                    now, user.Subject);
                var stored = await bookings.CreateAsync(user.TenantId, bookingId, booking, cancellationToken);
                await ScheduleReminderAsync(booking, workflows, options.Value, now, cancellationToken);
                return TypedResults.Created($"/api/workshop/bookings/{bookingId}", stored.Value);
            }
        }
        catch
        {
            await claims.ReleaseAsync(user.TenantId, bayClaims, CancellationToken.None);
            throw;
        }

        await claims.ReleaseAsync(user.TenantId, bayClaims, CancellationToken.None);
        throw new ConflictException($"Every technician with the skill '{request.Skill}' is booked at that time.");
    }

    /// <summary>The owner's reminder, <see cref="WorkshopOptions.BookingReminderLead"/> before the start; none when the booking is closer than that.</summary>
    private static async Task ScheduleReminderAsync(Booking booking, DurableTaskClient workflows, WorkshopOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var remindAfter = booking.Start - options.BookingReminderLead - now;
        if (options.BookingReminderLead <= TimeSpan.Zero || remindAfter < TimeSpan.Zero)
        {
            return;
        }

        await workflows.StartOnceAsync(BookingReminderWorkflow.Name, BookingReminderWorkflow.InstanceIdFor(booking.TenantId, booking.Id),
            new BookingReminderInput(booking.TenantId, booking.Id, remindAfter), cancellationToken);
    }

    public static async Task<Ok<Booking>> GetAsync(string id, HttpContext http, [FromServices] ITenantRepository<Booking> bookings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(bookings);
        return TypedResults.Ok(await LoadVisibleAsync(id, CurrentUser.FromPrincipal(http.User), bookings, cancellationToken));
    }

    public static async Task<Booking> LoadVisibleAsync(string id, CurrentUser user, ITenantRepository<Booking> bookings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(bookings);
        var booking = (await bookings.GetAsync(user.TenantId, id, cancellationToken))?.Value ?? throw new ResourceNotFoundException("Booking", id);
        WorkshopAccess.EnsureVisible(user, booking.CustomerId, "Booking", id);
        return booking;
    }
}
