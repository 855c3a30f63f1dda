using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>
/// Cancelling and moving a booked drive. Both keep the day books and the drive consistent without a transaction by the
/// order of their writes: whatever a crash leaves between two writes is a claim its drive does not back, which the next
/// booking of that slot releases once it is stale (<see cref="TestDriveRules.IsStaleClaim"/>).
/// </summary>
public static class TestDriveChangesEndpoints
{
    public const int MaxReasonLength = 500;

    /// <summary>
    /// Cancels a booked drive and frees its slot. Cancelling a cancelled drive answers it again (and frees the slot if a
    /// crash kept it). The lead, if any, is left alone: its stage and the points of the booking are the salesperson's
    /// history, and the lead may well book again.
    /// </summary>
    public static async Task<Ok<TestDriveView>> CancelAsync(string id, CancelTestDriveRequest request, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives,
        [FromServices] TestDriveScheduling scheduling, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(scheduling);
        ArgumentNullException.ThrowIfNull(time);
        if (request.Reason is not null && !InputFormats.IsText(request.Reason, MaxReasonLength))
        {
            throw RequestValidationException.For("reason", $"When given: at most {MaxReasonLength} characters, not blank.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var current = (await TestDrivesEndpoints.LoadAsync(id, user, drives, cancellationToken)).Value;
        var now = time.GetUtcNow();

        // The drive first, then its claim: a crash in between leaves a claim of a cancelled drive, which is stale.
        var (stored, _) = await drives.UpdateAsync(user.TenantId, current.Id, drive =>
        {
            if (drive.Status == TestDriveStatus.Cancelled)
            {
                return (false, true);
            }

            if (TestDriveRules.ChangeRefusal(drive.Status, "cancelled") is { } refusal)
            {
                throw new ConflictException(refusal);
            }

            drive.Status = TestDriveStatus.Cancelled;
            drive.CancelledAt = now;
            drive.CancelledBy = user.Subject;
            drive.CancellationReason = request.Reason?.Trim();
            return (true, true);
        }, "Test drive", null, cancellationToken);
        await scheduling.ReleaseDriveAsync(user.TenantId, stored.Value.Id, stored.Value.Start, cancellationToken);
        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(TestDriveView.Of(stored.Value));
    }

    /// <summary>
    /// Moves a booked drive to another slot (and, when named, another car or salesperson); the drive keeps its id. The new
    /// slot is claimed first, so a taken one is a 409 with nothing changed; then the drive is moved; then the old slot is
    /// freed. Moving a drive to the slot it has answers it again.
    /// </summary>
    public static async Task<Ok<TestDriveView>> RescheduleAsync(string id, RescheduleTestDriveRequest request, HttpContext http,
        [FromServices] ITenantRepository<TestDrive> drives, [FromServices] ITenantRepository<InventoryVehicle> inventory,
        [FromServices] ITenantRepository<Salesperson> salespeople, [FromServices] TestDriveScheduling scheduling, [FromServices] IOptions<TestDriveOptions> options,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(salespeople);
        ArgumentNullException.ThrowIfNull(scheduling);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var requestedVin = request.Vin?.Trim().ToUpperInvariant();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        TestDrivesEndpoints.CheckDriveFields(errors, requestedVin, request.SalespersonId, request.DurationMinutes, required: false);
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var loaded = await TestDrivesEndpoints.LoadAsync(id, user, drives, cancellationToken);
        var current = loaded.Value;
        if (TestDriveRules.ChangeRefusal(current.Status, "moved") is { } refusal)
        {
            throw new ConflictException(refusal);
        }

        var start = request.Start.ToUniversalTime();
        var duration = request.DurationMinutes ?? (int)(current.End - current.Start).TotalMinutes;
        var from = current.Claim();
        var target = new TestDriveBooking(current.Id, requestedVin ?? current.Vin, request.SalespersonId ?? current.SalespersonId, start, start.AddMinutes(duration));
        if (target.SameSlot(from))
        {
            http.Response.Headers.ETag = loaded.ETag;
            return TypedResults.Ok(TestDriveView.Of(current));
        }

        var now = time.GetUtcNow();
        TestDrivesEndpoints.CheckSlotOrThrow(start, duration, now, options.Value);
        var dealership = current.Dealership;
        if (!string.Equals(target.Vin, current.Vin, StringComparison.Ordinal))
        {
            dealership = (await TestDrivesEndpoints.LoadDrivableCarAsync(target.Vin, user, inventory, cancellationToken)).Specs.Location;
        }

        if (!string.Equals(target.SalespersonId, current.SalespersonId, StringComparison.Ordinal))
        {
            await TestDrivesEndpoints.LoadActiveSalespersonAsync(user, target.SalespersonId, salespeople, cancellationToken);
        }

        // The claim is the race, as for a booking: of two drives moved into one slot only one adds itself to the day book.
        var claim = await scheduling.ClaimAsync(user.TenantId, target, cancellationToken);

        // The drive before the old claim: a crash in between leaves the old claim, which the drive no longer backs (stale);
        // freeing it first would leave the drive in a slot nobody holds.
        Versioned<TestDrive> stored;
        try
        {
            (stored, _) = await drives.UpdateAsync(user.TenantId, current.Id, drive =>
            {
                if (drive.Claim().SameSlot(target))
                {
                    return (false, true);
                }

                if (TestDriveRules.ChangeRefusal(drive.Status, "moved") is { } late)
                {
                    throw new ConflictException(late);
                }

                if (!drive.Claim().SameSlot(from))
                {
                    throw new ConflictException("The test drive was moved meanwhile; read it again.");
                }

                drive.Vin = target.Vin;
                drive.SalespersonId = target.SalespersonId;
                drive.Start = target.Start;
                drive.End = target.End;
                drive.Dealership = dealership;
                drive.RescheduledAt = now;
                drive.RescheduledBy = user.Subject;
                return (true, true);
            }, "Test drive", null, cancellationToken);
        }
        catch
        {
            await scheduling.ReleaseAsync(user.TenantId, claim, CancellationToken.None);
            throw;
        }

        await scheduling.ReleaseAsync(user.TenantId, from, cancellationToken);
        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(TestDriveView.Of(stored.Value));
    }
}
