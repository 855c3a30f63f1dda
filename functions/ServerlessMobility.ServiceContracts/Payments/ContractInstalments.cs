using System.Globalization;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.ServiceContracts.Sales;
using CurrencyRules = ServerlessMobility.Platform.Currencies.Currency;

namespace ServerlessMobility.ServiceContracts.Payments;

/// <summary>How the customer pays a term: all of it at the sale, or in equal monthly instalments.</summary>
public enum PaymentSchedule
{
    Once,
    Monthly,
}

/// <summary>What the customer agrees to pay, shown on the quote and part of the accepted document: the schedule and each amount.</summary>
public sealed record PaymentTerms(PaymentSchedule Schedule, IReadOnlyList<decimal> Amounts)
{
    /// <summary>
    /// Splits a term's total: once, or one instalment per month of equal amounts rounded down to the currency's minor
    /// unit, the last one taking the remainder, so the instalments always add up to the total exactly.
    /// </summary>
    public static PaymentTerms For(PaymentSchedule schedule, decimal total, string currency, int termMonths)
    {
        if (schedule == PaymentSchedule.Once || termMonths <= 1)
        {
            return new PaymentTerms(schedule, [total]);
        }

        var each = CurrencyRules.Floor(total / termMonths, currency);
        return new PaymentTerms(schedule, [.. Enumerable.Repeat(each, termMonths - 1), total - (each * (termMonths - 1))]);
    }

    /// <summary>
    /// The instalments of a term starting at <paramref name="startsAt"/>: one a calendar month from the start, or one
    /// per <paramref name="monthLength"/> where a demo compresses time.
    /// </summary>
    public IReadOnlyList<ContractInstalment> Instalments(DateTimeOffset startsAt, int firstNumber, TimeSpan? monthLength = null) =>
        [.. Amounts.Select((amount, index) => new ContractInstalment(firstNumber + index,
            monthLength is { } month ? startsAt + (month * index) : startsAt.AddMonths(index), amount, []))];
}

/// <summary>One try at collecting an instalment, as the provider answered it.</summary>
public sealed record PaymentAttempt(int Attempt, DateTimeOffset At, bool Succeeded, string? ProviderReference, string? FailureCode);

/// <summary>An amount due on a date, and every attempt to collect it.</summary>
public sealed record ContractInstalment(int Number, DateTimeOffset DueAt, decimal Amount, IReadOnlyList<PaymentAttempt> Attempts)
{
    public bool IsPaid => Attempts.Any(a => a.Succeeded);
}

/// <summary>Coverage suspended because an instalment stayed unpaid after every retry; claims are refused until it is paid.</summary>
public sealed record CoverageSuspension(DateTimeOffset Since, int InstalmentNumber, DateTimeOffset CancelsAt);

/// <summary>The dunning policy of contract payments (section ServiceContracts:Payments); the waits are options so tests run a month in seconds.</summary>
public sealed record ContractPaymentOptions
{
    public const string SectionName = "ServiceContracts:Payments";

    /// <summary>The time between two monthly instalments; unset, calendar months. The fast demo profile makes it minutes.</summary>
    public TimeSpan? MonthLength { get; init; }

    /// <summary>Retries after a declined collection, as offsets from the due date (see <see cref="Platform.Workflows.RetrySchedule"/>).</summary>
    public string RetrySchedule { get; init; } = "1.00:00:00,3.00:00:00,5.00:00:00";

    public IReadOnlyList<TimeSpan> RetryOffsets => Platform.Workflows.RetrySchedule.Parse(RetrySchedule);

    /// <summary>From the due date to cancellation for non-payment; the coverage is suspended from the last failed retry until then.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromDays(14);

    /// <summary>The longest the workflow sleeps before it looks at the contract again (a renewal, a cancellation, a clock that moved).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Wait before retrying a failed activity (storage, a provider that did not answer); doubles up to 10 minutes, five attempts.</summary>
    public TimeSpan ActivityRetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    public bool IsValid() => Platform.Workflows.RetrySchedule.IsValid(RetrySchedule) && GracePeriod > TimeSpan.Zero && MaxWait > TimeSpan.Zero
        && ActivityRetryInterval > TimeSpan.Zero && MonthLength is null or { Ticks: > 0 } && (RetryOffsets.Count == 0 || GracePeriod > RetryOffsets[^1]);
}

/// <summary>What the collection of a contract does next, decided from the contract and the time alone.</summary>
public abstract record PaymentStep
{
    private PaymentStep()
    {
    }

    /// <summary>Nothing left to collect, or the contract is cancelled.</summary>
    public sealed record Finished : PaymentStep;

    public sealed record WaitUntil(DateTimeOffset At) : PaymentStep;

    public sealed record Collect(ContractInstalment Instalment, int Attempt) : PaymentStep;

    public sealed record Suspend(ContractInstalment Instalment, DateTimeOffset CancelsAt) : PaymentStep;

    public sealed record CancelForNonPayment(ContractInstalment Instalment) : PaymentStep;
}

/// <summary>
/// The retry schedule applied to a contract's first unpaid instalment: a collection on the due date, one per retry
/// offset, then the coverage is suspended, and the contract is cancelled once the grace period from the due date is
/// over. Pure: the workflow's activity applies the step it returns.
/// </summary>
public static class PaymentCollectionPolicy
{
    public static PaymentStep Next(ServiceContract contract, DateTimeOffset now, ContractPaymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(options);
        if (contract.Status == ContractStatus.Cancelled || contract.Instalments is null || contract.Instalments.FirstOrDefault(i => !i.IsPaid) is not { } unpaid)
        {
            return new PaymentStep.Finished();
        }

        var attemptTimes = new List<DateTimeOffset> { unpaid.DueAt };
        attemptTimes.AddRange(options.RetryOffsets.Select(offset => unpaid.DueAt + offset));
        var made = unpaid.Attempts.Count;
        if (made < attemptTimes.Count)
        {
            return now >= attemptTimes[made] ? new PaymentStep.Collect(unpaid, made) : new PaymentStep.WaitUntil(attemptTimes[made]);
        }

        var cancelsAt = unpaid.DueAt + options.GracePeriod;
        if (contract.Suspension is null)
        {
            return new PaymentStep.Suspend(unpaid, cancelsAt);
        }

        return now >= cancelsAt ? new PaymentStep.CancelForNonPayment(unpaid) : new PaymentStep.WaitUntil(cancelsAt);
    }

    /// <summary>The contract with one more attempt on the instalment; a successful one lifts a suspension for it.</summary>
    public static ServiceContract WithAttempt(ServiceContract contract, int instalmentNumber, PaymentAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(attempt);
        var instalments = contract.Instalments!.Select(i => i.Number == instalmentNumber ? i with { Attempts = [.. i.Attempts, attempt] } : i).ToList();
        var lifted = attempt.Succeeded && contract.Suspension?.InstalmentNumber == instalmentNumber;
        return contract with { Instalments = instalments, Suspension = lifted ? null : contract.Suspension };
    }

    /// <summary>What the customer paid for the current term (the whole price for contracts sold before instalments existed).</summary>
    public static decimal PaidThisTerm(ServiceContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Instalments is null
            ? contract.Price.Total
            : contract.Instalments.Where(i => i.IsPaid && i.DueAt >= contract.StartsAt).Sum(i => i.Amount);
    }

    public static string Describe(ContractInstalment instalment, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"instalment {instalment.Number} of {new Money(instalment.Amount, currency).Display()} due {instalment.DueAt:yyyy-MM-dd}");
}
