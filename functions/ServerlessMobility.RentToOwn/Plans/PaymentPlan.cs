using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.RentToOwn.Plans;

public enum PlanStatus
{
    Active,
    Defaulted,
    OwnershipTransferred,
}

/// <summary>
/// A person's decision to immobilize the plan's vehicle: who, when and why, and the command sent. The collection
/// workflow treats the vehicle as immobilized while it is open and closes it (<see cref="ReleasedAt"/>) when it
/// mobilizes the vehicle again, so a later default starts from a clean slate.
/// </summary>
/// <param name="CommandId">The immobilize command's id: the same for every attempt within one default, so a vehicle can tell a repeat.</param>
public sealed record PlanImmobilization(string By, DateTimeOffset At, string Reason, string CommandId, DateTimeOffset? ReleasedAt = null)
{
    public bool IsOpen => ReleasedAt is null;
}

/// <summary>A payment received from a provider; the provider's reference makes it unique.</summary>
public sealed record PlanPayment(string ProviderReference, decimal Amount, DateTimeOffset ReceivedAt);

public enum PaymentApplication
{
    Applied,

    /// <summary>The provider reference was seen before: nothing changed (callbacks are delivered at least once).</summary>
    Duplicate,

    /// <summary>The plan was paid off before this money arrived: nothing was booked, an operator task asks for it to be returned.</summary>
    OperatorTaskOpened,
}

/// <summary>
/// A rent-to-own payment plan: pure domain, no clock (every time is passed in), so that the HTTP
/// use cases and the collection workflow get the same answer for the same moment.
/// </summary>
public sealed class PaymentPlan
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string CustomerId { get; init; }

    public required string VehicleId { get; init; }

    public required PlanTerms Terms { get; init; }

    public required IReadOnlyList<Instalment> Schedule { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public List<PlanPayment> Payments { get; init; } = [];

    public PlanStatus Status { get; set; } = PlanStatus.Active;

    public DateTimeOffset? DefaultedAt { get; set; }

    public DateTimeOffset? OwnershipTransferredAt { get; set; }

    /// <summary>The latest immobilization an operator ordered (open, or closed by the mobilize that released it); null when none.</summary>
    public PlanImmobilization? Immobilization { get; set; }

    public bool IsImmobilizedByOperator => Immobilization is { IsOpen: true };

    public string Currency => Terms.Currency;

    public decimal FinancedTotal => Terms.FinancedTotal;

    public decimal TotalPaid => Payments.Sum(p => p.Amount);

    public decimal Outstanding => FinancedTotal - TotalPaid;

    public bool IsPaidOff => Outstanding <= 0;

    public static PaymentPlan Create(string id, string tenantId, string customerId, string vehicleId, PlanTerms terms, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new PaymentPlan
        {
            Id = id,
            TenantId = tenantId,
            CustomerId = customerId,
            VehicleId = vehicleId,
            Terms = terms,
            Schedule = PaymentSchedule.Generate(terms),
            CreatedAt = createdAt,
        };
    }

    /// <summary>Everything that had fallen due by <paramref name="asOf"/> (inclusive).</summary>
    public decimal AmountDueBy(DateTimeOffset asOf) => Schedule.Where(i => i.DueDate <= asOf).Sum(i => i.Amount);

    /// <summary>Due and not paid; payments made ahead of time count against what falls due later.</summary>
    public decimal Arrears(DateTimeOffset asOf) => Math.Max(0, AmountDueBy(asOf) - TotalPaid);

    /// <summary>
    /// Applies a partial, full or early-payoff payment. Idempotent by provider reference; paying more
    /// than is outstanding is refused so that no money is held without a purpose.
    /// </summary>
    /// <exception cref="BusinessRuleException">The amount is invalid or exceeds the outstanding balance.</exception>
    public PaymentApplication ApplyPayment(string providerReference, decimal amount, DateTimeOffset receivedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerReference);
        if (Payments.Any(p => string.Equals(p.ProviderReference, providerReference, StringComparison.Ordinal)))
        {
            return PaymentApplication.Duplicate;
        }

        if (amount <= 0 || !Platform.Currencies.Currency.HasValidPrecision(amount, Currency))
        {
            throw new BusinessRuleException("payment-amount", "A payment must be positive and in the currency's minor units.");
        }

        if (Status == PlanStatus.OwnershipTransferred || amount > Outstanding)
        {
            throw new BusinessRuleException("payment-exceeds-balance", "The payment exceeds the outstanding balance.");
        }

        Payments.Add(new PlanPayment(providerReference, amount, receivedAt));
        if (IsPaidOff)
        {
            // Ownership passes with the last cent, whether on schedule or early.
            Status = PlanStatus.OwnershipTransferred;
            OwnershipTransferredAt = receivedAt;
        }
        else if (Status == PlanStatus.Defaulted && Arrears(receivedAt) == 0)
        {
            Status = PlanStatus.Active;
            DefaultedAt = null;
        }

        return PaymentApplication.Applied;
    }

    /// <exception cref="BusinessRuleException">The plan is paid off, or nothing is in arrears.</exception>
    public void MarkDefaulted(DateTimeOffset at)
    {
        if (Status == PlanStatus.OwnershipTransferred || Arrears(at) == 0)
        {
            throw new BusinessRuleException("default-without-arrears", "Only a plan in arrears can default.");
        }

        Status = PlanStatus.Defaulted;
        DefaultedAt ??= at;
    }

    /// <summary>
    /// Records an operator's immobilization, checking the plan as stored now (a payment may have landed since the
    /// caller looked). An open one is kept: the second request of a double click records nothing.
    /// </summary>
    /// <returns>The open immobilization: <paramref name="immobilization"/>, or the one recorded before.</returns>
    /// <exception cref="BusinessRuleException">The plan is not in default, or its contract does not allow immobilization.</exception>
    public PlanImmobilization RecordImmobilization(PlanImmobilization immobilization)
    {
        ArgumentNullException.ThrowIfNull(immobilization);
        if (Immobilization is { IsOpen: true } open)
        {
            return open;
        }

        if (ManualImmobilizationRules.RefusalFor(Status, Terms.AllowsImmobilization) is { } refusal)
        {
            throw new BusinessRuleException(refusal.Rule, refusal.Detail);
        }

        Immobilization = immobilization;
        return immobilization;
    }

    /// <summary>Closes the open immobilization (the vehicle was mobilized); nothing when none is open.</summary>
    /// <returns>Whether one was closed.</returns>
    public bool ReleaseImmobilization(DateTimeOffset at)
    {
        if (Immobilization is not { IsOpen: true } open)
        {
            return false;
        }

        Immobilization = open with { ReleasedAt = at };
        return true;
    }

    /// <summary>Drops the open immobilization of <paramref name="commandId"/>: its command never reached the vehicle.</summary>
    public void WithdrawImmobilization(string commandId)
    {
        if (Immobilization is { IsOpen: true } open && string.Equals(open.CommandId, commandId, StringComparison.Ordinal))
        {
            Immobilization = null;
        }
    }

    /// <summary>Allocates payments to instalments oldest first and reports where each one stands.</summary>
    public IReadOnlyList<InstalmentPosition> Positions(DateTimeOffset asOf)
    {
        var remaining = TotalPaid;
        var positions = new List<InstalmentPosition>(Schedule.Count);
        foreach (var instalment in Schedule)
        {
            var paid = Math.Min(instalment.Amount, remaining);
            remaining -= paid;
            var state = paid == instalment.Amount ? InstalmentState.Paid
                : instalment.DueDate <= asOf ? InstalmentState.Overdue
                : paid > 0 ? InstalmentState.PartiallyPaid
                : InstalmentState.Upcoming;
            positions.Add(new InstalmentPosition(instalment.Number, instalment.DueDate, instalment.Amount, paid, state));
        }

        return positions;
    }

    /// <summary>The first instalment not fully paid, or null when the plan is paid off.</summary>
    public Instalment? NextUnpaid()
    {
        var remaining = TotalPaid;
        foreach (var instalment in Schedule)
        {
            if (remaining < instalment.Amount)
            {
                return instalment;
            }

            remaining -= instalment.Amount;
        }

        return null;
    }

    public PlanSummary Summarize(DateTimeOffset asOf)
    {
        var arrears = Arrears(asOf);
        var overdueSince = arrears > 0 ? NextUnpaid()?.DueDate : null;
        return new PlanSummary(
            Id, CustomerId, VehicleId, Status, Currency, Terms.Deposit, Terms.FinancedTotal, Terms.TotalCost,
            TotalPaid, Outstanding, AmountDueBy(asOf), arrears, overdueSince, NextUnpaid(), OwnershipTransferredAt, Positions(asOf), Immobilization);
    }

    /// <summary>A running account: the deposit, each instalment as it falls due, each payment; balance = due - paid.</summary>
    public PlanStatement Statement(DateTimeOffset asOf)
    {
        var entries = new List<(DateTimeOffset At, int Order, string Description, decimal Debit, decimal Credit)>
        {
            (CreatedAt, 0, "Deposit received", 0, 0),
        };
        entries.AddRange(Schedule.Where(i => i.DueDate <= asOf)
            .Select(i => (i.DueDate, 1, $"Instalment {i.Number} due", i.Amount, 0m)));
        entries.AddRange(Payments.Where(p => p.ReceivedAt <= asOf)
            .Select(p => (p.ReceivedAt, 2, $"Payment {p.ProviderReference}", 0m, p.Amount)));

        var balance = 0m;
        var lines = new List<StatementLine>();
        foreach (var entry in entries.OrderBy(e => e.At).ThenBy(e => e.Order))
        {
            balance += entry.Debit - entry.Credit;
            lines.Add(new StatementLine(entry.At, entry.Description, entry.Debit, entry.Credit, balance));
        }

        return new PlanStatement(Id, Currency, asOf, Terms.Deposit, Terms.TotalCost, TotalPaid, Outstanding, Arrears(asOf), lines);
    }
}

public enum InstalmentState
{
    Upcoming,
    PartiallyPaid,
    Overdue,
    Paid,
}

public sealed record InstalmentPosition(int Number, DateTimeOffset DueDate, decimal Amount, decimal Paid, InstalmentState State);

public sealed record PlanSummary(
    string Id,
    string CustomerId,
    string VehicleId,
    PlanStatus Status,
    string Currency,
    decimal Deposit,
    decimal FinancedTotal,
    decimal TotalCost,
    decimal Paid,
    decimal Outstanding,
    decimal DueToDate,
    decimal Arrears,
    DateTimeOffset? OverdueSince,
    Instalment? NextInstalment,
    DateTimeOffset? OwnershipTransferredAt,
    IReadOnlyList<InstalmentPosition> Schedule,
    PlanImmobilization? Immobilization = null);

/// <summary>Balance is what has fallen due minus what has been paid: negative means paid ahead.</summary>
public sealed record StatementLine(DateTimeOffset At, string Description, decimal Debit, decimal Credit, decimal Balance);

public sealed record PlanStatement(
    string PlanId,
    string Currency,
    DateTimeOffset AsOf,
    decimal Deposit,
    decimal TotalCost,
    decimal Paid,
    decimal Outstanding,
    decimal Arrears,
    IReadOnlyList<StatementLine> Lines);
