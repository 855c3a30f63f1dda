using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Jobs;

public enum ClockAction
{
    On,
    Off,
}

public sealed record ClockRequest(
    [property: StringLength(WorkshopAccess.MaxIdLength), RegularExpression(InputFormats.ClientId)] string TechnicianId,
    ClockAction Action);

/// <param name="CustomerId">The vehicle's owner, so the board names whose car is in the bay (the route is the staff's only).</param>
public sealed record BoardEntry(string BookingId, DateTimeOffset Start, DateTimeOffset End, string TechnicianId, string VehicleId, string CustomerId, string? JobId,
    JobStatus? Status);

public sealed record BayBoard(string BayId, string Name, IReadOnlyList<BoardEntry> Entries);

public sealed record WorkshopBoard(string Day, IReadOnlyList<BayBoard> Bays);

/// <summary>Technicians' time on jobs and the day's board per bay.</summary>
public static class TechniciansEndpoints
{
    public static async Task<Ok<ServiceJob>> ClockAsync(string id, ClockRequest request, HttpContext http, [FromServices] ITenantRepository<ServiceJob> jobs,
        [FromServices] ITenantRepository<Technician> technicians, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(technicians);
        ArgumentNullException.ThrowIfNull(time);
        WorkshopAccess.ValidateId(request.TechnicianId, "technicianId");
        if (!Enum.IsDefined(request.Action))
        {
            throw RequestValidationException.For("action", "On or Off.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        _ = await JobsEndpoints.LoadVisibleAsync(id, user, jobs, cancellationToken);
        _ = await technicians.GetAsync(user.TenantId, request.TechnicianId, cancellationToken) ?? throw new ResourceNotFoundException("Technician", request.TechnicianId);
        var (job, _) = await jobs.UpdateAsync(user.TenantId, id, j => request.Action == ClockAction.On
            ? j.ClockOn(request.TechnicianId, time.GetUtcNow())
            : j.ClockOff(request.TechnicianId, time.GetUtcNow()), "Job", cancellationToken);
        return TypedResults.Ok(job);
    }

    /// <summary>Today's board (or <paramref name="day"/>'s, "2099-01-06", UTC): every bay with its bookings in time order and their jobs' status.</summary>
    public static async Task<Ok<WorkshopBoard>> BoardAsync(string? day, HttpContext http, [FromServices] ITenantRepository<Bay> bays, [FromServices] ITenantRepository<Booking> bookings,
        [FromServices] ITenantRepository<ServiceJob> jobs, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(bays);
        ArgumentNullException.ThrowIfNull(bookings);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(time);
        if (day is not null && !DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw RequestValidationException.For("day", "A UTC day as yyyy-MM-dd.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var boardDay = day ?? Booking.DayOf(time.GetUtcNow());
        var ofDay = await bookings.QueryAsync(user.TenantId, "day", boardDay, cancellationToken);
        var statuses = new Dictionary<string, JobStatus>(StringComparer.Ordinal);
        foreach (var jobId in ofDay.Select(b => b.JobId).OfType<string>())
        {
            if ((await jobs.GetAsync(user.TenantId, jobId, cancellationToken))?.Value is { } job)
            {
                statuses[jobId] = job.Status;
            }
        }

        var board = (await bays.QueryAsync(user.TenantId, cancellationToken: cancellationToken))
            .OrderBy(b => b.Id, StringComparer.Ordinal)
            .Select(bay => new BayBoard(bay.Id, bay.Name, [.. ofDay
                .Where(b => string.Equals(b.BayId, bay.Id, StringComparison.Ordinal))
                .OrderBy(b => b.Start)
                .Select(b => new BoardEntry(b.Id, b.Start, b.End, b.TechnicianId, b.VehicleId, b.CustomerId, b.JobId,
                    b.JobId is not null && statuses.TryGetValue(b.JobId, out var status) ? status : null))]))
            .ToList();
        return TypedResults.Ok(new WorkshopBoard(boardDay, board));
    }
}
