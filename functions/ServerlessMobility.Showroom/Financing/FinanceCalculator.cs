using System.Globalization;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Showroom.Financing;

/// <summary>One offer to price: amounts in the currency's minor units, the rate nominal and annual as a fraction (0.05 is 5 %).</summary>
/// <param name="Fees">Paid up front in cash (an arrangement fee): not financed, but part of the cost of credit and so of the APR.</param>
public sealed record FinanceTerms(decimal Price, string Currency, decimal Deposit, decimal Balloon, int TermMonths, decimal AnnualRate, decimal Fees);

/// <param name="Balance">Owed after this line; the last monthly line leaves the balloon, the balloon line leaves 0.</param>
/// <param name="IsBalloon">The final payment, due with the last monthly payment.</param>
public sealed record ScheduleLine(int Month, decimal Payment, decimal Interest, decimal Principal, decimal Balance, bool IsBalloon);

/// <param name="Apr">A fraction rounded as the jurisdiction shows it (0.051 is 5.1 %).</param>
/// <param name="AprText">As the disclosure shows it: "5.1 %".</param>
/// <param name="LastMonthlyPayment">The regular payment corrected by the month's rounding, so the balance ends exactly at the balloon.</param>
/// <param name="TotalCostOfCredit">Interest plus fees.</param>
/// <param name="TotalPayable">Everything the buyer pays: deposit, fees, every payment and the balloon.</param>
public sealed record FinanceQuote(
    decimal FinancedAmount,
    decimal MonthlyPayment,
    decimal LastMonthlyPayment,
    decimal TotalInterest,
    decimal TotalCostOfCredit,
    decimal TotalPayable,
    decimal Apr,
    string AprText,
    IReadOnlyList<ScheduleLine> Schedule);

/// <summary>
/// Prices an instalment credit with an optional balloon. The monthly payment is the annuity that amortizes the financed
/// amount less the balloon's present value: P = (A − B·(1+r)^−n)·r / (1 − (1+r)^−n) with r the annual rate / 12, or
/// (A − B) / n at 0 %. Interest is rounded to the currency's minor unit every month and the last payment takes up the
/// rounding, so the schedule's principal adds up to the financed amount exactly.
/// </summary>
public static class FinanceCalculator
{
    public static FinanceQuote Quote(FinanceTerms terms, AprRule rule)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(rule);
        var currency = terms.Currency;
        var financed = terms.Price - terms.Deposit;
        var n = terms.TermMonths;
        var r = terms.AnnualRate / 12m;
        var payment = Currency.Round(MonthlyPayment(financed, terms.Balloon, r, n), currency);

        var schedule = new List<ScheduleLine>(n + 1);
        var balance = financed;
        for (var month = 1; month <= n; month++)
        {
            var interest = Currency.Round(balance * r, currency);
            var principal = month == n ? balance - terms.Balloon : payment - interest;
            balance -= principal;
            schedule.Add(new ScheduleLine(month, interest + principal, interest, principal, balance, false));
        }

        if (terms.Balloon > 0)
        {
            schedule.Add(new ScheduleLine(n, terms.Balloon, 0m, terms.Balloon, 0m, true));
        }

        var totalInterest = schedule.Sum(l => l.Interest);
        var apr = Apr(rule, financed - terms.Fees, schedule);
        return new FinanceQuote(
            financed,
            payment,
            schedule[n - 1].Payment,
            totalInterest,
            totalInterest + terms.Fees,
            terms.Deposit + terms.Fees + schedule.Sum(l => l.Payment),
            apr,
            string.Create(CultureInfo.InvariantCulture, $"{(apr * 100m).ToString("F" + rule.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)} %"),
            schedule);
    }

    /// <summary>Unrounded; decimal powers of (1 + r) stay exact to 28 digits for the 96 months allowed.</summary>
    internal static decimal MonthlyPayment(decimal financed, decimal balloon, decimal monthlyRate, int months)
    {
        if (monthlyRate == 0m)
        {
            return (financed - balloon) / months;
        }

        var growth = 1m;
        for (var i = 0; i < months; i++)
        {
            growth *= 1m + monthlyRate;
        }

        var discount = 1m / growth;
        return (financed - (balloon * discount)) * monthlyRate / (1m - discount);
    }

    /// <summary>
    /// The rate that makes the payments' present value equal the credit the buyer actually receives (the financed amount
    /// less fees paid at the start), rounded half away from zero to the jurisdiction's shown precision.
    /// </summary>
    internal static decimal Apr(AprRule rule, decimal netCredit, IReadOnlyList<ScheduleLine> schedule)
    {
        var flows = schedule.Select(l => ((double)l.Payment, l.Month)).ToArray();
        var credit = (double)netCredit;
        double PresentValue(double rate) => rule.Method == AprMethod.UsActuarial
            ? flows.Sum(f => f.Item1 / Math.Pow(1 + (rate / 12), f.Month))
            : flows.Sum(f => f.Item1 / Math.Pow(1 + rate, f.Month / 12.0));

        // The present value falls as the rate rises, so bisection converges whatever the fees; the payments never add up
        // to less than the credit (the rate is not negative), so the root lies in [0, 100] (up to 10,000 % a year).
        double low = 0, high = 100;
        if (PresentValue(high) > credit)
        {
            // Fees that leave next to nothing of the credit: no rate a disclosure could show honestly.
            throw new BusinessRuleException("financing-apr-out-of-range", "The fees leave so little of the credit that the APR would exceed 10,000 %.");
        }

        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var mid = (low + high) / 2;
            if (PresentValue(mid) > credit)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return Math.Round((decimal)((low + high) / 2), rule.Decimals + 2, MidpointRounding.AwayFromZero);
    }
}
