using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.RentToOwn.Plans;

/// <summary>One instalment of a schedule; numbers start at 1.</summary>
public sealed record Instalment(int Number, DateTimeOffset DueDate, decimal Amount);

public static class PaymentSchedule
{
    /// <summary>
    /// Equal instalments rounded down to the minor unit; the last one absorbs the remainder, so the
    /// schedule adds up to the financed total exactly and no cent drifts away.
    /// </summary>
    public static IReadOnlyList<Instalment> Generate(PlanTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        terms.Validate();
        var total = terms.FinancedTotal;
        var n = terms.NumberOfInstalments;
        var regular = Currency.Floor(total / n, terms.Currency);
        var schedule = new List<Instalment>(n);
        for (var i = 0; i < n; i++)
        {
            var amount = i == n - 1 ? total - (regular * (n - 1)) : regular;
            schedule.Add(new Instalment(i + 1, DueDate(terms.FirstDueDate, terms.Frequency, i), amount));
        }

        return schedule;
    }

    /// <summary>
    /// Monthly dates are computed from the first date, not chained, so a plan starting on the 31st
    /// returns to the 31st after a short month instead of sliding to the 28th for good.
    /// </summary>
    public static DateTimeOffset DueDate(DateTimeOffset first, PaymentFrequency frequency, int index) => frequency switch
    {
        PaymentFrequency.Daily => first.AddDays(index),
        PaymentFrequency.Weekly => first.AddDays(7 * index),
        PaymentFrequency.Monthly => first.AddMonths(index),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "Unknown frequency."),
    };
}
