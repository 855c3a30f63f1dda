using ServerlessMobility.Showroom.Financing;

namespace ServerlessMobility.Showroom.Tests.Domain;

/// <summary>
/// Schedules and APRs checked against numbers worked out apart from the code under test (by the formulas in each comment,
/// evaluated in exact decimal arithmetic), so a wrong formula in the calculator cannot agree with itself.
/// </summary>
public class FinanceCalculatorTests
{
    private static readonly AprRule Germany = AprRulebook.Find("DE")!;
    private static readonly AprRule California = AprRulebook.Find("US-CA")!;

    [Fact]
    public void StandardAnnuity_ThirtySixMonthsAtFivePercent()
    {
        // P = A·r / (1 − (1+r)^−n), A = 10,000, r = 0.05/12, n = 36: 299.7090... → 299.71. Month 1's interest is
        // 10,000·0.05/12 = 41.67; interest rounded monthly totals 789.54 and the last payment is 299.69.
        var quote = FinanceCalculator.Quote(new FinanceTerms(10_000m, "EUR", 0m, 0m, 36, 0.05m, 0m), Germany);

        Assert.Equal(10_000m, quote.FinancedAmount);
        Assert.Equal(299.71m, quote.MonthlyPayment);
        Assert.Equal(36, quote.Schedule.Count);
        Assert.Equal(new ScheduleLine(1, 299.71m, 41.67m, 258.04m, 9_741.96m, false), quote.Schedule[0]);
        Assert.Equal(new ScheduleLine(36, 299.69m, 1.24m, 298.45m, 0m, false), quote.Schedule[^1]);
        Assert.Equal(299.69m, quote.LastMonthlyPayment);
        Assert.Equal(789.54m, quote.TotalInterest);
        Assert.Equal(10_789.54m, quote.TotalPayable);
        Assert.Equal(10_000m, quote.Schedule.Sum(l => l.Principal));
    }

    [Fact]
    public void ZeroPercent_SplitsThePrincipal_AndTheLastPaymentTakesTheRemainder()
    {
        // 20,000 / 24 = 833.333... → 833.33; the last is 20,000 − 23 × 833.33 = 833.41.
        var quote = FinanceCalculator.Quote(new FinanceTerms(20_000m, "EUR", 0m, 0m, 24, 0m, 0m), Germany);

        Assert.Equal(833.33m, quote.MonthlyPayment);
        Assert.All(quote.Schedule.Take(23), l => Assert.Equal(833.33m, l.Payment));
        Assert.Equal(833.41m, quote.Schedule[^1].Payment);
        Assert.Equal(0m, quote.Schedule[^1].Balance);
        Assert.Equal(0m, quote.TotalInterest);
        Assert.Equal(0m, quote.Apr);
        Assert.Equal("0.0 %", quote.AprText);
    }

    [Fact]
    public void Balloon_IsDiscountedOutOfThePayment_AndLeftAsTheLastBalance()
    {
        // Price 30,000, deposit 3,000: A = 27,000, balloon B = 10,000, r = 0.049/12, n = 36.
        // P = (A − B·(1+r)^−36)·r / (1 − (1+r)^−36) = 549.58; month 1's interest 27,000·r = 110.25; the 36th payment
        // is 549.40 and leaves exactly 10,000; interest totals 2,784.70.
        var quote = FinanceCalculator.Quote(new FinanceTerms(30_000m, "EUR", 3_000m, 10_000m, 36, 0.049m, 0m), Germany);

        Assert.Equal(27_000m, quote.FinancedAmount);
        Assert.Equal(549.58m, quote.MonthlyPayment);
        Assert.Equal(37, quote.Schedule.Count);
        Assert.Equal(new ScheduleLine(1, 549.58m, 110.25m, 439.33m, 26_560.67m, false), quote.Schedule[0]);
        Assert.Equal(new ScheduleLine(36, 549.40m, 42.90m, 506.50m, 10_000m, false), quote.Schedule[35]);
        Assert.Equal(new ScheduleLine(36, 10_000m, 0m, 10_000m, 0m, true), quote.Schedule[36]);
        Assert.Equal(2_784.70m, quote.TotalInterest);

        // Deposit + 35 × 549.58 + 549.40 + 10,000 = 32,784.70 = price + interest.
        Assert.Equal(32_784.70m, quote.TotalPayable);

        // Effective annual rate of the nominal 4.9 % paid monthly: Σ flows/(1+i)^(m/12) = 27,000 gives i = 5.0115 %.
        Assert.Equal(0.050m, quote.Apr);
    }

    [Fact]
    public void EffectiveAnnualRate_WithoutFees_IsTheCompoundedNominalRate()
    {
        // (1 + 0.05/12)^12 − 1 = 5.116 %, shown to one decimal under the Consumer Credit Directive.
        var quote = FinanceCalculator.Quote(new FinanceTerms(10_000m, "EUR", 0m, 0m, 36, 0.05m, 0m), Germany);

        Assert.Equal(0.051m, quote.Apr);
        Assert.Equal("5.1 %", quote.AprText);
    }

    [Fact]
    public void Fees_RaiseTheAprAboveTheNominalRate()
    {
        // 300 of fees paid up front: the buyer receives 9,700 net of them for the same 36 × 299.71 (last 299.69).
        // EU: Σ P_k/(1+i)^(k/12) = 9,700 gives i = 7.277 % → 7.3 %; US: Σ P_k/(1+j)^k = 9,700 gives 12j = 7.0455 % → 7.05 %.
        var terms = new FinanceTerms(10_000m, "EUR", 0m, 0m, 36, 0.05m, 300m);

        var eu = FinanceCalculator.Quote(terms, Germany);
        var us = FinanceCalculator.Quote(terms with { Currency = "USD" }, California);

        Assert.Equal(0.073m, eu.Apr);
        Assert.Equal("7.3 %", eu.AprText);
        Assert.Equal(1_089.54m, eu.TotalCostOfCredit);
        Assert.Equal(0.0705m, us.Apr);
        Assert.Equal("7.05 %", us.AprText);
    }

    [Fact]
    public void UsActuarialApr_WithoutFees_IsTheNominalRate()
    {
        // Regulation Z's actuarial APR is the monthly rate × 12; with nothing but interest in the finance charge it is the
        // note rate (5.000 %, within a cent's rounding of the payments).
        var quote = FinanceCalculator.Quote(new FinanceTerms(10_000m, "USD", 0m, 0m, 36, 0.05m, 0m), California);

        Assert.Equal(0.0500m, quote.Apr);
        Assert.Equal("5.00 %", quote.AprText);
    }

    [Fact]
    public void ZeroDecimalCurrency_RoundsInterestToWholeUnits()
    {
        // KES has cents, JPY has none: 1,000,000 JPY at 3 % over 12: P = 1,000,000·0.0025/(1 − 1.0025^−12) = 84,693.699... → 84,694;
        // month 1's interest 1,000,000 × 0.0025 = 2,500.
        var rule = new AprRule("JP", "JPY", AprMethod.EffectiveAnnual, 1, "test");
        var quote = FinanceCalculator.Quote(new FinanceTerms(1_000_000m, "JPY", 0m, 0m, 12, 0.03m, 0m), rule);

        Assert.Equal(84_694m, quote.MonthlyPayment);
        Assert.Equal(2_500m, quote.Schedule[0].Interest);
        Assert.All(quote.Schedule, l => Assert.Equal(decimal.Truncate(l.Interest), l.Interest));
        Assert.Equal(0m, quote.Schedule[^1].Balance);
    }

    [Fact]
    public void FeesThatSwallowTheCredit_AreARuleNotAnEndlessSearch()
    {
        // 9,990 of fees on 10,000: the buyer nets 10 and repays 10,789.54 within three years, far beyond 10,000 % a year.
        var error = Assert.Throws<Platform.Http.BusinessRuleException>(() =>
            FinanceCalculator.Quote(new FinanceTerms(10_000m, "EUR", 0m, 0m, 36, 0.05m, 9_990m), Germany));

        Assert.Equal("financing-apr-out-of-range", error.Rule);
    }

    [Theory]
    [InlineData("DE", AprMethod.EffectiveAnnual)]
    [InlineData("gb", AprMethod.EffectiveAnnual)]
    [InlineData("KE", AprMethod.EffectiveAnnual)]
    [InlineData("US-CA", AprMethod.UsActuarial)]
    [InlineData("us-ny", AprMethod.UsActuarial)]
    public void Rulebook_KnowsTheMarkets(string country, AprMethod method) =>
        Assert.Equal(method, AprRulebook.Find(country)!.Method);

    [Theory]
    [InlineData("ZZ")]
    [InlineData("US-ZZ")]
    [InlineData("BR")]
    public void Rulebook_HasNoRuleForOtherPlaces(string country) => Assert.Null(AprRulebook.Find(country));
}
