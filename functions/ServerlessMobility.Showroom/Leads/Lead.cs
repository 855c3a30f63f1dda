using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Showroom.Leads;

/// <summary>Where a lead first came from; it is kept when later contacts merge into it.</summary>
public enum LeadSource
{
    WalkIn,
    Web,
    TestDrive,
}

/// <summary>The sales funnel: new → contacted → test-drive → negotiating → won or lost (<see cref="LeadStages"/>).</summary>
public enum LeadStage
{
    New,
    Contacted,
    TestDrive,
    Negotiating,
    Won,
    Lost,
}

/// <summary>What a salesperson did with the lead, or what happened to it (a merged duplicate contact, a stage move).</summary>
public enum LeadActivityKind
{
    Call,
    Email,
    Visit,
    Note,

    /// <summary>The same person came in again (same e-mail or phone): recorded on the existing lead instead of a second lead.</summary>
    Contact,
}

/// <summary>Which moves the funnel allows; won and lost are final, and a lead may be lost from any open stage.</summary>
public static class LeadStages
{
    private static readonly Dictionary<LeadStage, LeadStage[]> Next = new()
    {
        [LeadStage.New] = [LeadStage.Contacted, LeadStage.Lost],
        [LeadStage.Contacted] = [LeadStage.TestDrive, LeadStage.Negotiating, LeadStage.Lost],
        [LeadStage.TestDrive] = [LeadStage.Negotiating, LeadStage.Lost],
        [LeadStage.Negotiating] = [LeadStage.TestDrive, LeadStage.Won, LeadStage.Lost],
        [LeadStage.Won] = [],
        [LeadStage.Lost] = [],
    };

    public static bool Allows(LeadStage from, LeadStage to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    public static bool IsOpen(LeadStage stage) => stage is not (LeadStage.Won or LeadStage.Lost);
}

/// <param name="Id">Unique in the lead (an activity id the caller chose, or one made from the clock for merges and moves).</param>
/// <param name="By">The subject of the caller who recorded it.</param>
public sealed record LeadActivity(string Id, LeadActivityKind Kind, string? Note, DateTimeOffset At, string By);

public sealed record LeadStageChange(LeadStage From, LeadStage To, DateTimeOffset At, string By, string? Reason);

/// <summary>The sale a won lead became.</summary>
public sealed record LeadSale(string VehicleId, Money Price, DateTimeOffset SoldAt, string SoldBy, string? ReservationReference);

/// <summary>The product lines a showroom lead can be handed to instead of a cash or financed sale.</summary>
public enum HandOffProductLine
{
    RentToOwn,
    CarAsAService,
}

/// <summary>
/// A stock car handed to another product line for this buyer: the rent-to-own listing it became, on the terms worked out at
/// the desk (<see cref="Financing.RentToOwnTerms"/>).
/// </summary>
/// <param name="Id">Derived from the tenant, the lead and the VIN: the hand-off's idempotency key, and the listing's.</param>
/// <param name="Price">The car's price when it was handed off.</param>
/// <param name="TotalPayable">Deposit plus every weekly instalment.</param>
public sealed record LeadHandOff(
    string Id,
    HandOffProductLine ProductLine,
    string Vin,
    string ListingId,
    Money Price,
    decimal Deposit,
    int Weeks,
    decimal FinanceChargeRate,
    decimal WeeklyInstalment,
    decimal TotalPayable,
    DateTimeOffset At,
    string By)
{
    public string ListingLink => $"/api/listings/{ListingId}";

    /// <summary>The same car on the same terms: what a retried hand-off would record again.</summary>
    public bool SameTermsAs(LeadHandOff other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Id, other.Id, StringComparison.Ordinal) && ProductLine == other.ProductLine && Price == other.Price && Deposit == other.Deposit
            && Weeks == other.Weeks && WeeklyInstalment == other.WeeklyInstalment;
    }
}

/// <summary>
/// A prospective buyer of one dealership (the tenant). Contact details are stored encrypted (<c>PiiProtector</c>), with
/// keyed lookup hashes in <see cref="LeadContactClaim"/>s for de-duplication. Every change goes through a method that
/// checks the funnel; an illegal move is a conflict with the current stage and changes nothing.
/// </summary>
public sealed class Lead
{
    public const int MaxActivities = 500;

    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required LeadSource Source { get; init; }

    /// <summary>The buyer's name, encrypted.</summary>
    public required string ProtectedName { get; set; }

    /// <summary>The normalized e-mail, encrypted; null when only a phone was given.</summary>
    public string? ProtectedEmail { get; set; }

    /// <summary>The E.164 phone, encrypted; null when only an e-mail was given.</summary>
    public string? ProtectedPhone { get; set; }

    /// <summary>The signed-in customer who sent a web enquiry, if any.</summary>
    public string? CustomerSubject { get; set; }

    public string? AssignedTo { get; set; }

    public LeadStage Stage { get; set; }

    /// <summary>Stored so the open leads of a salesperson are one query (assignment counts them).</summary>
    public bool Open { get; set; } = true;

    public string? VehicleOfInterest { get; set; }

    /// <summary>What the buyer said they can spend, in <see cref="Currency"/>.</summary>
    public decimal? Budget { get; set; }

    /// <summary>The listed price of the vehicle of interest, in <see cref="Currency"/>.</summary>
    public decimal? ListedPrice { get; set; }

    public string? Currency { get; set; }

    public bool FinancePreApproved { get; set; }

    public bool HasTradeIn { get; set; }

    public bool RepeatCustomer { get; set; }

    public bool TestDriveTaken { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When a salesperson first called, mailed or met the buyer; null until then.</summary>
    public DateTimeOffset? FirstResponseAt { get; set; }

    public List<LeadActivity> Activities { get; init; } = [];

    public List<LeadStageChange> StageHistory { get; init; } = [];

    public LeadSale? Sale { get; set; }

    /// <summary>The car handed to rent-to-own for this buyer; one per lead.</summary>
    public LeadHandOff? HandOff { get; set; }

    /// <summary>Moves the lead through the funnel; moving to the stage it is in is a no-op (a retried request), any other illegal move a 409.</summary>
    /// <returns>Whether the stage changed.</returns>
    public bool MoveTo(LeadStage target, DateTimeOffset at, string by, string? reason = null)
    {
        if (Stage == target)
        {
            return false;
        }

        if (!LeadStages.Allows(Stage, target))
        {
            throw new ConflictException($"The lead is {Stage}; it cannot move to {target}.");
        }

        StageHistory.Add(new LeadStageChange(Stage, target, at, by, reason));
        Stage = target;
        Open = LeadStages.IsOpen(target);
        TestDriveTaken |= target == LeadStage.TestDrive;
        UpdatedAt = at;
        return true;
    }

    /// <summary>Logs an activity; the same activity id twice is one activity (a retried delivery).</summary>
    /// <returns>Whether it was new.</returns>
    public bool Log(LeadActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Activities.Any(a => string.Equals(a.Id, activity.Id, StringComparison.Ordinal)))
        {
            return false;
        }

        if (Activities.Count >= MaxActivities)
        {
            throw new BusinessRuleException("showroom-lead-activity-limit", $"A lead holds at most {MaxActivities} activities.");
        }

        Activities.Add(activity);
        if (IsResponse(activity.Kind) && FirstResponseAt is null)
        {
            FirstResponseAt = activity.At;
        }

        // A salesperson who reaches a new lead has contacted it: the funnel follows without a separate move.
        if (Stage == LeadStage.New && IsResponse(activity.Kind))
        {
            MoveTo(LeadStage.Contacted, activity.At, activity.By, $"{activity.Kind} logged");
        }

        UpdatedAt = activity.At;
        return true;
    }

    /// <summary>A call, e-mail or visit reaches the buyer; a note or a merged contact does not.</summary>
    public static bool IsResponse(LeadActivityKind kind) => kind is LeadActivityKind.Call or LeadActivityKind.Email or LeadActivityKind.Visit;

    /// <summary>
    /// Records the sale and closes the lead as won. Only a lead in negotiation (or one whose test drive just ended in a deal)
    /// can be won; converting the same lead again with the same vehicle answers the sale already recorded.
    /// </summary>
    public void Win(LeadSale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        if (Sale is not null)
        {
            if (string.Equals(Sale.VehicleId, sale.VehicleId, StringComparison.Ordinal) && Sale.Price == sale.Price)
            {
                return;
            }

            throw new ConflictException($"The lead was already converted to a sale of vehicle '{Sale.VehicleId}'.");
        }

        if (Stage == LeadStage.TestDrive)
        {
            MoveTo(LeadStage.Negotiating, sale.SoldAt, sale.SoldBy, "Converted after the test drive");
        }

        if (Stage != LeadStage.Negotiating)
        {
            throw new ConflictException($"The lead is {Stage}; only a lead in test drive or negotiation can be converted to a sale.");
        }

        MoveTo(LeadStage.Won, sale.SoldAt, sale.SoldBy, "Sold");
        Sale = sale;
    }

    /// <summary>
    /// Records the hand-off (and logs it as a note under the hand-off's id). The same hand-off again is a retry and changes
    /// nothing; another car or other terms after a hand-off, or any hand-off of a won or lost lead, is a conflict.
    /// </summary>
    /// <returns>Whether it was new.</returns>
    public bool RecordHandOff(LeadHandOff handOff)
    {
        ArgumentNullException.ThrowIfNull(handOff);
        if (HandOff is not null)
        {
            return HandOff.SameTermsAs(handOff) ? false : throw new ConflictException(HandOff.Vin == handOff.Vin
                ? $"The lead already handed vehicle '{HandOff.Vin}' off on other terms ({HandOff.Weeks} weeks at {HandOff.WeeklyInstalment} {HandOff.Price.Currency})."
                : $"The lead already handed vehicle '{HandOff.Vin}' off (listing '{HandOff.ListingId}'); a lead hands one car off.");
        }

        EnsureOpenForHandOff();
        HandOff = handOff;
        Log(new LeadActivity(handOff.Id, LeadActivityKind.Note,
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Handed off to {handOff.ProductLine}: vehicle {handOff.Vin}, listing {handOff.ListingId}, {handOff.Weeks} weeks at {handOff.WeeklyInstalment} {handOff.Price.Currency}"),
            handOff.At, handOff.By));
        return true;
    }

    /// <exception cref="ConflictException">The lead is won or lost: it has nothing left to hand off.</exception>
    public void EnsureOpenForHandOff()
    {
        if (!LeadStages.IsOpen(Stage))
        {
            throw new ConflictException($"The lead is {Stage}; only an open lead can be handed off.");
        }
    }

    /// <summary>A second contact from the same person: its facts are added to the lead and the contact is logged once.</summary>
    public bool Merge(LeadCapture capture, string activityId, DateTimeOffset at, string by)
    {
        ArgumentNullException.ThrowIfNull(capture);
        FinancePreApproved |= capture.FinancePreApproved;
        HasTradeIn |= capture.HasTradeIn;
        RepeatCustomer |= capture.RepeatCustomer;
        VehicleOfInterest = capture.VehicleOfInterest ?? VehicleOfInterest;
        if (capture.Budget is not null && (Currency is null || string.Equals(Currency, capture.Currency, StringComparison.Ordinal)))
        {
            Budget = capture.Budget;
            ListedPrice = capture.ListedPrice ?? ListedPrice;
            Currency = capture.Currency;
        }

        CustomerSubject ??= capture.CustomerSubject;
        return Log(new LeadActivity(activityId, LeadActivityKind.Contact, $"Came in again ({capture.Source})" + (capture.Message is null ? string.Empty : $": {capture.Message}"), at, by));
    }
}

/// <summary>A contact as captured, already validated and normalized.</summary>
public sealed record LeadCapture(
    LeadSource Source,
    string Name,
    string? Email,
    string? Phone,
    string? Message,
    string? VehicleOfInterest,
    decimal? Budget,
    decimal? ListedPrice,
    string? Currency,
    bool FinancePreApproved,
    bool HasTradeIn,
    bool RepeatCustomer,
    string? CustomerSubject);

/// <summary>
/// One normalized e-mail or phone of a dealership, held by one lead. Its id is the contact's keyed hash, so the store's
/// create-if-absent decides which of two concurrent captures of the same person creates the lead; the other merges into it.
/// </summary>
public sealed record LeadContactClaim(string Id, string TenantId, string LeadId);
