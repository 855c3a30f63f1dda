using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Approval;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Estimates;
using ServerlessMobility.Workshop.Media;
using ServerlessMobility.Workshop.Parts;

namespace ServerlessMobility.Workshop.Jobs;

public enum JobStatus
{
    CheckedIn,
    Inspecting,
    Estimated,
    AwaitingApproval,
    InProgress,
    Blocked,
    Completed,
    Invoiced,
    Paid,

    /// <summary>The owner declined every line: nothing is done, nothing is invoiced.</summary>
    Declined,
}

/// <summary>The vehicle as it arrived: what the owner and the workshop agree on before anyone touches it.</summary>
/// <param name="FuelLevelPercent">0 to 100.</param>
/// <param name="Photos">Names of the check-in photos in the job's photo folder.</param>
public sealed record CheckInRecord(int OdometerKm, int FuelLevelPercent, IReadOnlyList<string> Photos, DateTimeOffset At, string By)
{
    public const int MaxOdometerKm = 10_000_000;

    public static void Validate(int odometerKm, int fuelLevelPercent)
    {
        if (odometerKm is < 0 or > MaxOdometerKm)
        {
            throw RequestValidationException.For("odometerKm", $"The odometer reads 0 to {MaxOdometerKm} kilometres.");
        }

        if (fuelLevelPercent is < 0 or > 100)
        {
            throw RequestValidationException.For("fuelLevelPercent", "The fuel level is 0 to 100 percent.");
        }
    }
}

public sealed record StatusChange(JobStatus From, JobStatus To, DateTimeOffset At, string? Reason = null);

/// <summary>A part held in stock for this job (the stock document is the truth; this is the job's view).</summary>
public sealed record JobPartReservation(string Sku, string Location, int Quantity, bool Consumed = false);

/// <summary>
/// An approved part the job could not reserve: the quantity it needs, what was available to it when it tried, and what
/// to order so the job can go ahead and the stock is back above its reorder level.
/// </summary>
public sealed record MissingPart(string Sku, string Location, int Quantity, int Available, PurchaseOrderSuggestion? Suggestion);

public sealed record JobPayment(string Reference, Money Amount, DateTimeOffset ReceivedAt);

/// <summary>One charge of the owner's stored payment method through the payments capability.</summary>
/// <param name="FailureCode">The provider's decline code; null when it was paid.</param>
public sealed record JobPaymentAttempt(int Number, string IdempotencyKey, Money Amount, DateTimeOffset At, string By, string? ProviderReference, string? FailureCode);

/// <summary>A technician's time on the job, from clock-on to clock-off (open while <see cref="Off"/> is null).</summary>
public sealed record TimeEntry(string TechnicianId, DateTimeOffset On, DateTimeOffset? Off = null)
{
    public decimal Hours => Off is { } off ? Math.Round((decimal)(off - On).TotalHours, 2, MidpointRounding.AwayFromZero) : 0m;
}

/// <summary>Which moves the job's lifecycle allows; everything else is refused.</summary>
public static class JobLifecycle
{
    private static readonly Dictionary<JobStatus, JobStatus[]> Next = new()
    {
        [JobStatus.CheckedIn] = [JobStatus.Inspecting],
        [JobStatus.Inspecting] = [JobStatus.Estimated],
        [JobStatus.Estimated] = [JobStatus.Estimated, JobStatus.AwaitingApproval],
        [JobStatus.AwaitingApproval] = [JobStatus.Estimated, JobStatus.InProgress, JobStatus.Declined],
        [JobStatus.InProgress] = [JobStatus.Blocked, JobStatus.Completed],
        [JobStatus.Blocked] = [JobStatus.InProgress],
        [JobStatus.Completed] = [JobStatus.Invoiced],
        [JobStatus.Invoiced] = [JobStatus.Paid],
        [JobStatus.Paid] = [],
        [JobStatus.Declined] = [],
    };

    public static bool Allows(JobStatus from, JobStatus to) => Next[from].Contains(to);
}

/// <summary>
/// A service job, from check-in to payment. Every change goes through a method that checks the lifecycle
/// (<see cref="JobLifecycle"/>); an illegal move is a conflict with the job's current state and changes nothing.
/// </summary>
public sealed class ServiceJob
{
    /// <summary>The rule (problem details' <c>rule</c>) an expired estimate's link or decision breaks.</summary>
    public const string EstimateExpiredRule = "workshop-estimate-expired";

    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string BookingId { get; init; }

    public required string CustomerId { get; init; }

    public required string VehicleId { get; init; }

    public required string BayId { get; init; }

    public required string TechnicianId { get; init; }

    /// <summary>ISO 3166-1 alpha-2: the workshop's country, whose tax the invoice bears.</summary>
    public required string Country { get; init; }

    public required string Currency { get; init; }

    public JobStatus Status { get; set; }

    public required CheckInRecord CheckIn { get; init; }

    public Estimate? Estimate { get; set; }

    public ApprovalRecord? Approval { get; set; }

    public List<JobPartReservation> Parts { get; init; } = [];

    /// <summary>The approved parts the last reservation could not hold (empty once everything is reserved).</summary>
    public List<MissingPart> MissingParts { get; init; } = [];

    /// <summary>
    /// True while the job is <see cref="JobStatus.Blocked"/> because the reservation found parts short (not because staff
    /// blocked it): only such a job goes back to work by itself once its parts are reserved.
    /// </summary>
    public bool BlockedForParts { get; set; }

    public WorkshopInvoice? Invoice { get; set; }

    public JobPayment? Payment { get; set; }

    public List<JobPaymentAttempt> PaymentAttempts { get; init; } = [];

    public List<StatusChange> History { get; init; } = [];

    public List<TimeEntry> TimeEntries { get; init; } = [];

    /// <summary>Photos and videos of the work (the slots; the files are in Blob storage).</summary>
    public List<JobMedia> Media { get; init; } = [];

    public const int MaxMedia = 50;

    /// <summary>Hours clocked on the job by every technician (closed entries).</summary>
    public decimal HoursWorked => TimeEntries.Sum(t => t.Hours);

    public static string IdFor(string bookingId) => $"job-{bookingId}";

    public static ServiceJob Open(Booking booking, CheckInRecord checkIn, string country, string currency)
    {
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(checkIn);
        CheckInRecord.Validate(checkIn.OdometerKm, checkIn.FuelLevelPercent);

        return new ServiceJob
        {
            Id = IdFor(booking.Id),
            TenantId = booking.TenantId,
            BookingId = booking.Id,
            CustomerId = booking.CustomerId,
            VehicleId = booking.VehicleId,
            BayId = booking.BayId,
            TechnicianId = booking.TechnicianId,
            Country = country,
            Currency = currency,
            Status = JobStatus.CheckedIn,
            CheckIn = checkIn,
        };
    }

    public void MoveTo(JobStatus to, DateTimeOffset at, string? reason = null)
    {
        if (!JobLifecycle.Allows(Status, to))
        {
            throw new ConflictException($"The job is {Status}; it cannot move to {to}.");
        }

        History.Add(new StatusChange(Status, to, at, reason));
        Status = to;
        if (to != JobStatus.Blocked)
        {
            BlockedForParts = false;
        }

        // Nobody keeps working on a job that is waiting or done: open clocks stop with it.
        if (to is JobStatus.Blocked or JobStatus.Completed)
        {
            for (var i = 0; i < TimeEntries.Count; i++)
            {
                if (TimeEntries[i].Off is null)
                {
                    TimeEntries[i] = TimeEntries[i] with { Off = at };
                }
            }
        }
    }

    /// <summary>A technician starts working on the job; only while it is inspected or in progress, and not twice at once.</summary>
    public TimeEntry ClockOn(string technicianId, DateTimeOffset at)
    {
        if (Status is not (JobStatus.Inspecting or JobStatus.InProgress))
        {
            throw new ConflictException($"The job is {Status}; technicians clock on while it is inspected or in progress.");
        }

        if (TimeEntries.Any(t => t.Off is null && string.Equals(t.TechnicianId, technicianId, StringComparison.Ordinal)))
        {
            throw new ConflictException($"Technician '{technicianId}' is already clocked on to this job.");
        }

        var entry = new TimeEntry(technicianId, at);
        TimeEntries.Add(entry);
        return entry;
    }

    public TimeEntry ClockOff(string technicianId, DateTimeOffset at)
    {
        var open = TimeEntries.FindIndex(t => t.Off is null && string.Equals(t.TechnicianId, technicianId, StringComparison.Ordinal));
        if (open < 0)
        {
            throw new ConflictException($"Technician '{technicianId}' is not clocked on to this job.");
        }

        TimeEntries[open] = TimeEntries[open] with { Off = at };
        return TimeEntries[open];
    }

    /// <summary>A new estimate (or a revision, which voids any approval link of the previous version).</summary>
    public Estimate Propose(IReadOnlyList<EstimateLine> lines, DateTimeOffset at)
    {
        if (!JobLifecycle.Allows(Status, JobStatus.Estimated))
        {
            throw new ConflictException($"The job is {Status}; it takes an estimate only while inspected or awaiting approval.");
        }

        var estimate = Estimates.Estimate.Prepare((Estimate?.Version ?? 0) + 1, Currency, lines, at);
        MoveTo(JobStatus.Estimated, at, $"estimate v{estimate.Version}");
        Estimate = estimate;
        return estimate;
    }

    /// <summary>
    /// Records the owner's decision on estimate <paramref name="version"/>: every line exactly once. The job goes to work
    /// when a line is approved and ends as declined when none is.
    /// </summary>
    public ApprovalRecord Decide(int version, IReadOnlyList<LineDecision> decisions, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        if (Estimate is { ExpiredAt: not null } expired && expired.Version == version)
        {
            throw ExpiredEstimate(version);
        }

        if (Status != JobStatus.AwaitingApproval || Estimate is null)
        {
            throw new ConflictException($"The job is {Status}; there is no estimate awaiting a decision.");
        }

        if (Estimate.Version != version)
        {
            throw new ConflictException($"Estimate v{version} was replaced by v{Estimate.Version}; open the new link.");
        }

        var lineIds = Estimate.Lines.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var decided = decisions.Select(d => d.LineId).ToList();
        if (decided.Count != lineIds.Count || !lineIds.SetEquals(decided) || decided.Distinct(StringComparer.Ordinal).Count() != decided.Count)
        {
            throw RequestValidationException.For("decisions", "Decide every line of the estimate exactly once.");
        }

        var record = new ApprovalRecord(Estimate.Version, Estimate.Hash, decisions, at);
        MoveTo(decisions.Any(d => d.Approved) ? JobStatus.InProgress : JobStatus.Declined, at, "owner decision");
        Approval = record;
        return record;
    }

    /// <summary>
    /// The owner let estimate <paramref name="version"/> expire undecided: it is marked expired and the job goes back to
    /// <see cref="JobStatus.Estimated"/>, where staff revise it (a new version) and send a new link. Expiring an estimate
    /// that is already expired changes nothing; one that was decided or revised meanwhile is not touched.
    /// </summary>
    /// <returns>true when estimate <paramref name="version"/> is expired (now or before).</returns>
    public bool ExpireEstimate(int version, DateTimeOffset at)
    {
        if (Estimate is null || Estimate.Version != version)
        {
            return false;
        }

        if (Estimate.ExpiredAt is not null)
        {
            return true;
        }

        if (Status != JobStatus.AwaitingApproval)
        {
            return false;
        }

        MoveTo(JobStatus.Estimated, at, $"estimate v{version} expired undecided");
        Estimate = Estimate with { ExpiredAt = at };
        return true;
    }

    /// <summary>The problem an expired estimate answers: the owner's link or a new link for it.</summary>
    public static BusinessRuleException ExpiredEstimate(int version) =>
        new(EstimateExpiredRule, $"Estimate v{version} expired before it was decided; ask the workshop for a revised estimate and a new link.");

    /// <summary>The part lines the owner approved: what the job reserves and, on completion, consumes.</summary>
    public IReadOnlyList<EstimateLine> ApprovedParts() =>
        Estimate is null || Approval is null ? [] : [.. Estimate.Lines.Where(l => l.Kind == EstimateLineKind.Part && Approval.IsApproved(l.Id))];

    /// <summary>
    /// Records what one reservation attempt held and what it found short. Parts short move a job in progress to
    /// <see cref="JobStatus.Blocked"/> with a reason naming them; once nothing is short, a job blocked for parts goes back
    /// to <see cref="JobStatus.InProgress"/>. A job staff blocked for another reason stays blocked: only they know when
    /// that reason is gone. Recording the same outcome again changes nothing.
    /// </summary>
    public void RecordPartReservations(IReadOnlyList<JobPartReservation> reserved, IReadOnlyList<MissingPart> missing, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        ArgumentNullException.ThrowIfNull(missing);
        if (Status is not (JobStatus.InProgress or JobStatus.Blocked))
        {
            throw new ConflictException($"The job is {Status}; parts are reserved for approved work in progress.");
        }

        Parts.Clear();
        Parts.AddRange(reserved);
        MissingParts.Clear();
        MissingParts.AddRange(missing);
        if (missing.Count > 0 && Status == JobStatus.InProgress)
        {
            MoveTo(JobStatus.Blocked, at, "waiting for parts: " + string.Join(", ", missing.Select(m => $"{m.Sku} at {m.Location} ({m.Quantity} needed, {m.Available} available)")));
            BlockedForParts = true;
        }
        else if (missing.Count == 0 && Status == JobStatus.Blocked && BlockedForParts)
        {
            MoveTo(JobStatus.InProgress, at, "parts reserved: " + string.Join(", ", reserved.Select(p => $"{p.Sku} at {p.Location}")));
        }
    }

    /// <summary>
    /// Records a slot for a photo or video, optionally showing one line of the current estimate. A paid or declined job
    /// is closed; a job takes at most <see cref="MaxMedia"/>.
    /// </summary>
    public void AddMedia(JobMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (Status is JobStatus.Paid or JobStatus.Declined)
        {
            throw new ConflictException($"The job is {Status}; it takes no more photos or videos.");
        }

        if (media.EstimateLineId is { } line && (Estimate is null || !Estimate.Lines.Any(l => string.Equals(l.Id, line, StringComparison.Ordinal))))
        {
            throw RequestValidationException.For("estimateLineId", $"The current estimate has no line '{line}'.");
        }

        if (Media.Count >= MaxMedia)
        {
            throw new BusinessRuleException("workshop-media-limit", $"A job takes at most {MaxMedia} photos and videos.");
        }

        Media.Add(media);
    }

    public void Pay(string reference, Money amount, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(amount);
        if (Payment is not null && string.Equals(Payment.Reference, reference, StringComparison.Ordinal))
        {
            // The same payment told twice (a retried request or webhook) is already booked.
            return;
        }

        if (Invoice is null || Status != JobStatus.Invoiced)
        {
            throw new ConflictException($"The job is {Status}; only an invoiced job takes a payment.");
        }

        if (amount != Invoice.AmountDue)
        {
            throw new BusinessRuleException("workshop-payment-amount", $"The amount due on the invoice is {Invoice.AmountDue.Display()}; the payment was {amount.Display()}.");
        }

        Payment = new JobPayment(reference, amount, at);
        MoveTo(JobStatus.Paid, at, $"payment {reference}");
    }
}
