using System.Globalization;
using ServerlessMobility.ServiceContracts.Lifecycle;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Reporting;

/// <summary>A calendar month in UTC, written YYYY-MM.</summary>
public readonly record struct ReportMonth(int Year, int Month) : IComparable<ReportMonth>
{
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant of the next month: the month is [Start, End).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    public ReportMonth Next() => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    /// <summary>Months from this one to <paramref name="other"/>, both included (1 when they are the same).</summary>
    public int CountTo(ReportMonth other) => ((other.Year - Year) * 12) + other.Month - Month + 1;

    public int CompareTo(ReportMonth other) => (Year * 12) + Month - ((other.Year * 12) + other.Month);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public static bool TryParse(string? text, out ReportMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 1 || number is < 1 or > 12)
        {
            return false;
        }

        month = new ReportMonth(year, number);
        return true;
    }

    public static bool operator <(ReportMonth left, ReportMonth right) => left.CompareTo(right) < 0;

    public static bool operator >(ReportMonth left, ReportMonth right) => left.CompareTo(right) > 0;

    public static bool operator <=(ReportMonth left, ReportMonth right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ReportMonth left, ReportMonth right) => left.CompareTo(right) >= 0;
}

/// <summary>
/// Money collected in one month for contracts of one jurisdiction, in one currency, less the refunds paid that month
/// (so a month of cancellations can be negative): amounts in different currencies are never added.
/// </summary>
public sealed record RevenueLine(string Jurisdiction, string Currency, decimal Amount);

/// <summary>
/// One month of a dealership's contracts; docs/flows/service-contracts.md ("Reporting") defines every figure.
/// <see cref="RenewalRate"/> is <see cref="Renewed"/> / <see cref="RenewalBase"/>, null when nothing was due.
/// </summary>
public sealed record MonthlyContractFigures(
    string Month,
    int Sold,
    int ActiveAtMonthEnd,
    int Expiring,
    int Cancelled,
    int CancelledForNonPayment,
    int Renewed,
    int RenewalBase,
    decimal? RenewalRate,
    IReadOnlyList<RevenueLine> Revenue);

public sealed record MonthlyContractReport(string From, string To, IReadOnlyList<MonthlyContractFigures> Months);

/// <summary>
/// Computes the monthly report of one tenant's contracts from the contracts alone (pure: the same contracts give the
/// same report), so it can be tested on fixed dates and recomputed at any time.
/// </summary>
public static class MonthlyContractReports
{
    /// <summary>The longest range one request may ask for: three years of months.</summary>
    public const int MaxMonths = 36;

    public static MonthlyContractReport Compute(IEnumerable<ServiceContract> contracts, ReportMonth from, ReportMonth to)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var all = contracts.ToList();
        var months = new List<MonthlyContractFigures>();
        for (var month = from; month <= to; month = month.Next())
        {
            months.Add(Figures(all, month));
        }

        return new MonthlyContractReport(from.ToString(), to.ToString(), months);
    }

    private static MonthlyContractFigures Figures(List<ServiceContract> contracts, ReportMonth month)
    {
        var sold = contracts.Count(c => month.Contains(SoldAt(c)));
        var active = contracts.Count(c => InForceAt(c, month.End));
        var cancelled = contracts.Where(c => c.Cancellation is { } cancellation && month.Contains(cancellation.CancelledAt)).ToList();
        var forNonPayment = cancelled.Count(c => string.Equals(c.Cancellation!.CancelledBy, TakeContractStepsActivity.PaymentsActor, StringComparison.Ordinal));
        var expiring = contracts.Where(c => month.Contains(c.EndsAt) && !CancelledBefore(c, c.EndsAt)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var renewed = contracts.Where(c => (c.Renewals ?? []).Any(r => month.Contains(r.RenewedAt))).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var renewalBase = renewed.Union(expiring).Count();
        decimal? rate = renewalBase == 0 ? null : Math.Round((decimal)renewed.Count / renewalBase, 4, MidpointRounding.ToEven);
        return new MonthlyContractFigures(month.ToString(), sold, active, expiring.Count, cancelled.Count, forNonPayment, renewed.Count, renewalBase, rate, Revenue(contracts, month));
    }

    /// <summary>When the customer bought the contract: its acceptance (an imported contract's is its start).</summary>
    private static DateTimeOffset SoldAt(ServiceContract contract) => contract.Acceptance.AcceptedAt;

    /// <summary>Sold, not cancelled, and its last term not over at <paramref name="at"/>; a suspended contract is still in force.</summary>
    private static bool InForceAt(ServiceContract contract, DateTimeOffset at) =>
        SoldAt(contract) < at && at < contract.EndsAt && !CancelledBefore(contract, at);

    private static bool CancelledBefore(ServiceContract contract, DateTimeOffset at) => contract.Cancellation is { } cancellation && cancellation.CancelledAt <= at;

    /// <summary>
    /// Instalments paid in the month (the time of the attempt that succeeded), less refunds of cancellations in the month;
    /// a contract sold before instalments existed counts its whole price when it was sold.
    /// </summary>
    private static List<RevenueLine> Revenue(List<ServiceContract> contracts, ReportMonth month)
    {
        var collected = contracts.SelectMany(c => Collections(c).Concat(Refunds(c)).Where(p => month.Contains(p.At)).Select(p => (c.Country.Jurisdiction, c.Price.Currency, p.Amount)));
        return [.. collected
            .GroupBy(p => (p.Jurisdiction, p.Currency))
            .Select(g => new RevenueLine(g.Key.Jurisdiction, g.Key.Currency, g.Sum(p => p.Amount)))
            .OrderBy(r => r.Jurisdiction, StringComparer.Ordinal).ThenBy(r => r.Currency, StringComparer.Ordinal)];
    }

    /// <summary>The refund goes back when the contract is cancelled (a negative amount); a cancellation refunding nothing counts nothing.</summary>
    private static IEnumerable<(DateTimeOffset At, decimal Amount)> Refunds(ServiceContract contract) =>
        contract.Cancellation is { Refund: > 0 } cancellation ? [(cancellation.CancelledAt, -cancellation.Refund)] : [];

    private static IEnumerable<(DateTimeOffset At, decimal Amount)> Collections(ServiceContract contract)
    {
        if (contract.Instalments is null)
        {
            return [(SoldAt(contract), contract.Price.Total)];
        }

        return contract.Instalments
            .Select(i => (Paid: i.Attempts.FirstOrDefault(a => a.Succeeded), i.Amount))
            .Where(p => p.Paid is not null)
            .Select(p => (p.Paid!.At, p.Amount));
    }
}
