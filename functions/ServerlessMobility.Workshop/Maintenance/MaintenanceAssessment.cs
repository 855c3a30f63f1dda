using System.Globalization;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Workshop.Bookings;

namespace ServerlessMobility.Workshop.Maintenance;

public enum MaintenanceReasonKind
{
    /// <summary>The odometer passed a service interval (telemetry's maintenance-due rule).</summary>
    Distance,

    /// <summary>The last recorded service is older than the service interval.</summary>
    Time,

    /// <summary>The vehicle reported a diagnostic trouble code.</summary>
    FaultCode,
}

public sealed record MaintenanceReason(MaintenanceReasonKind Kind, DateTimeOffset Since, string Detail);

/// <summary>Why a vehicle should come in, and which skill and how long the work needs.</summary>
public sealed record MaintenanceNeed(IReadOnlyList<MaintenanceReason> Reasons, string Skill, int Hours)
{
    public bool IsDue => Reasons.Count > 0;
}

/// <summary>A free bay and technician for the work: staff book it with POST /api/workshop/bookings.</summary>
public sealed record ProposedBooking(string BayId, string TechnicianId, string Skill, DateTimeOffset Start, int Hours);

/// <summary>Decides from telemetry and the workshop's own records whether a vehicle is due for service; pure.</summary>
public static class MaintenanceAssessment
{
    /// <param name="lastService">The last service the workshop completed; only what telemetry saw after it counts.</param>
    /// <param name="serviceDue">Service intervals the odometer passed, from telemetry.</param>
    /// <param name="faultCodes">Fault codes the vehicle reported, from telemetry.</param>
    public static MaintenanceNeed Assess(CompletedService? lastService, IReadOnlyList<ServiceDue> serviceDue, IReadOnlyList<FaultCode> faultCodes, DateTimeOffset now,
        MaintenanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(serviceDue);
        ArgumentNullException.ThrowIfNull(faultCodes);
        ArgumentNullException.ThrowIfNull(options);
        var since = lastService?.CompletedAt ?? DateTimeOffset.MinValue;
        var reasons = new List<MaintenanceReason>();
        reasons.AddRange(serviceDue.Where(d => d.OccurredAt > since).Select(d => new MaintenanceReason(MaintenanceReasonKind.Distance, d.OccurredAt, d.Detail)));
        if (lastService is not null && now - lastService.CompletedAt >= options.ServiceInterval)
        {
            reasons.Add(new MaintenanceReason(MaintenanceReasonKind.Time, lastService.CompletedAt + options.ServiceInterval,
                string.Create(CultureInfo.InvariantCulture, $"The last service ({lastService.JobId}) was on {lastService.CompletedAt:yyyy-MM-dd}, more than {options.ServiceInterval.TotalDays:0} days ago.")));
        }

        // One reason per code: a fault reported on every reading is one fault.
        reasons.AddRange(faultCodes.Where(f => f.OccurredAt > since)
            .GroupBy(f => f.Code, StringComparer.Ordinal)
            .Select(g => g.OrderBy(f => f.OccurredAt).First())
            .Select(f => new MaintenanceReason(MaintenanceReasonKind.FaultCode, f.OccurredAt, $"{f.Code}: {f.Detail}")));
        var skill = reasons.Any(r => r.Kind == MaintenanceReasonKind.FaultCode) ? options.DiagnosticsSkill : options.ServiceSkill;
        return new MaintenanceNeed([.. reasons.OrderBy(r => r.Since)], skill, options.ServiceHours);
    }

    /// <summary>
    /// The earliest start on the slot grid from <paramref name="from"/> to <paramref name="until"/> at which a bay is free
    /// for the whole work and a technician with the skill is on shift and free; bays in id order. Null when none is.
    /// </summary>
    /// <param name="bookings">The bookings of the days searched.</param>
    public static ProposedBooking? FirstFreeSlot(IReadOnlyList<Bay> bays, IReadOnlyList<Technician> technicians, IReadOnlyList<Booking> bookings, string skill, int hours,
        DateTimeOffset from, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(bays);
        ArgumentNullException.ThrowIfNull(technicians);
        ArgumentNullException.ThrowIfNull(bookings);
        var length = SlotGrid.SlotLength * hours;
        var ticks = SlotGrid.SlotLength.Ticks;
        var first = from.ToUniversalTime();
        var start = new DateTimeOffset((first.UtcTicks + ticks - 1) / ticks * ticks, TimeSpan.Zero);
        var orderedBays = bays.OrderBy(b => b.Id, StringComparer.Ordinal).ToList();
        for (; start + length <= until; start += SlotGrid.SlotLength)
        {
            var end = start + length;
            var overlapping = bookings.Where(b => b.Start < end && b.End > start).ToList();
            var busyTechnicians = overlapping.Select(b => b.TechnicianId).ToHashSet(StringComparer.Ordinal);
            var available = SlotCapacity.AvailableTechnicians(technicians, skill, start, hours, busyTechnicians);
            if (available.Count == 0)
            {
                continue;
            }

            var technician = available[0];

            var bay = orderedBays.FirstOrDefault(b => !overlapping.Any(o => string.Equals(o.BayId, b.Id, StringComparison.Ordinal)));
            if (bay is not null)
            {
                return new ProposedBooking(bay.Id, technician.Id, skill, start, hours);
            }
        }

        return null;
    }
}
