namespace ServerlessMobility.Workshop.Maintenance;

/// <summary>When a vehicle is due for service and how the proposed booking looks ("Workshop:Maintenance" section).</summary>
public sealed class MaintenanceOptions
{
    /// <summary>A vehicle whose last recorded service is older than this is due, whatever its odometer says.</summary>
    public TimeSpan ServiceInterval { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How far back telemetry is read for a vehicle the workshop never serviced.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The earliest a proposed booking starts, from now: time for the owner to answer.</summary>
    public TimeSpan ProposalLead { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far ahead a free slot is looked for.</summary>
    public TimeSpan ProposalHorizon { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Hours a routine service takes.</summary>
    public int ServiceHours { get; set; } = 2;

    /// <summary>The technician skill a routine service needs.</summary>
    public string ServiceSkill { get; set; } = "service";

    /// <summary>The skill fault codes need: someone has to find the cause first.</summary>
    public string DiagnosticsSkill { get; set; } = "diagnostics";

    public bool IsValid() =>
        ServiceInterval > TimeSpan.Zero && Lookback > TimeSpan.Zero && ProposalLead >= TimeSpan.Zero && ProposalHorizon > TimeSpan.Zero
        && ProposalHorizon <= TimeSpan.FromDays(60) && ServiceHours is >= 1 and <= Bookings.SlotGrid.MaxSlotsPerBooking
        && Platform.Http.InputFormats.IsClientId(ServiceSkill, 40) && Platform.Http.InputFormats.IsClientId(DiagnosticsSkill, 40);
}
